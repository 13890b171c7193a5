connections --lang=de FX/lang/mixed.json
