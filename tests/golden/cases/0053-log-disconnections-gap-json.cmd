connections --json FX/synthetic/log-disconnections-gap.log
