connections --max-apps=3 FX/synthetic/mid-stream.log
