connections --sessions FX/synthetic/log-disconnections-gap.log
