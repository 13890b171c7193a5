pgtail-test parse FX/stages/stages.log
