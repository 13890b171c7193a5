connections FX/synthetic/mid-stream.log
