connections FX/synthetic/log-connections-gap.log
