connections --json FX/synthetic/hostile-names.log
