pgtail-test parse FX/stages/stages.csv
