connections --history FX/synthetic/empty-prefix.log
