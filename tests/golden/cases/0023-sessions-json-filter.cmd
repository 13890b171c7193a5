connections --sessions --json --app=my* FX/rotation
