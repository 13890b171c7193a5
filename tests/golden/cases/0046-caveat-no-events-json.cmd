connections --json FX/synthetic/no-connections.log
