connections --json FX/syslog/journalctl-json.json
