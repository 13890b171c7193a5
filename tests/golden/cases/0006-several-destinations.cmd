connections FX/default-prefix
