connections FX/synthetic/hostile-names.log
