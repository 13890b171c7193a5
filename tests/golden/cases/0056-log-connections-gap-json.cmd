connections --json FX/synthetic/log-connections-gap.log
