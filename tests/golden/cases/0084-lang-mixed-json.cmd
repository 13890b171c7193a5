connections --json FX/lang/mixed.csv
