connections FX/syslog/journalctl-short-iso.log
