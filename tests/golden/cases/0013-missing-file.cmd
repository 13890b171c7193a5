connections FX/no-such-file.log
