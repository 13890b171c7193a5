connections FX/synthetic/german.log
