connections --history --json FX/synthetic/empty.log
