pgtail-test classify FX/stages/stages.csv
