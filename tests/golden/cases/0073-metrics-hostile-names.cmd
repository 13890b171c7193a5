connections --openmetrics FX/synthetic/hostile-names.log
