connections FX/synthetic/wide-names.log
