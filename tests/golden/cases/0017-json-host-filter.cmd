connections --json --host=127.0.0.5 FX/rotation
