pgtail-test parse FX/stages/stages.json
