pgtail-test classify FX/stages/stages.json
