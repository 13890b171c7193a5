pgtail-test classify FX/stages/stages.log
