connections --metrics --json FX/synthetic/mid-stream.log
