connections --metrics FX/synthetic/log-disconnections-gap.log
