connections --json FX/synthetic/german.log
