connections --json FX/synthetic/empty-prefix.log
