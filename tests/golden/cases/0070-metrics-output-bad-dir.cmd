connections --metrics --output=/nonexistent-dir/pgtail.prom FX/synthetic/mid-stream.log
