connections --ident=other FX/syslog/rsyslog-fileformat.log
