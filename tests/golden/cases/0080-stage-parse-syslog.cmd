pgtail-test parse FX/syslog/rsyslog-fileformat.log
