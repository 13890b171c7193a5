connections FX/synthetic/no-connections.log
