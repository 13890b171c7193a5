connections FX/rotation
