connections --metrics --history FX/synthetic/mid-stream.log
