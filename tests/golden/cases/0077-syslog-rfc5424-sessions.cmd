connections --sessions --until=2026-12-07T04:56:07.400Z FX/syslog/rsyslog-rfc5424.log
