connections --since=07:11:53 FX/synthetic/log-disconnections-gap.log
