connections --sessions FX/synthetic/hostile-names.log
