pgtail-test parse FX/syslog/journalctl-json.json
