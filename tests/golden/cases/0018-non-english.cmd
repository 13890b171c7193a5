connections --lang=en FX/synthetic/german.log
