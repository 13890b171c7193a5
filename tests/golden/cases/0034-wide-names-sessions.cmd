connections --sessions FX/synthetic/wide-names.log
