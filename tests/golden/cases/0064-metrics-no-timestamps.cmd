connections --metrics FX/synthetic/empty-prefix.log
