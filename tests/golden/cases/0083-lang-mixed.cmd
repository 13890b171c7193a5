connections FX/lang/mixed.log
