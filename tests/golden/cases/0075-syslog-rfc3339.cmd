connections FX/syslog/rsyslog-fileformat.log
