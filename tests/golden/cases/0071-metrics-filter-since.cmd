connections --metrics --app=myapp --since=00:42:00 FX/default-prefix/postgresql-2026-11-29_004152.log
