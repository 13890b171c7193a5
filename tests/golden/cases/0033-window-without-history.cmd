connections --window=1h FX/rotation
