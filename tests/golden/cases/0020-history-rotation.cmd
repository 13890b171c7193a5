connections --history FX/rotation
