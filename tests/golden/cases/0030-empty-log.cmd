connections FX/synthetic/empty.log
