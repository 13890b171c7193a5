connections --json --lang=en FX/synthetic/german.log
