connections --metrics --max-hosts=0 --max-apps=0 FX/synthetic/mid-stream.log
