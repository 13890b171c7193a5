connections --metrics --max-hosts=ten FX/synthetic/mid-stream.log
