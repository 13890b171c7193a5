connections --json FX/synthetic/mid-stream.log
