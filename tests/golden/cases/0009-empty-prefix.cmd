connections FX/synthetic/empty-prefix.log
