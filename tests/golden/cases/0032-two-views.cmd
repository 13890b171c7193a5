connections --sessions --history FX/rotation
