connections --json FX/syslog/rsyslog-traditional.log
