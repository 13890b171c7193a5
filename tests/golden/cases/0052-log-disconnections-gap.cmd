connections FX/synthetic/log-disconnections-gap.log
