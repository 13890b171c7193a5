connections FX/dest-change
