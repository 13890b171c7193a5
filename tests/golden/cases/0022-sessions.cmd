connections --sessions FX/debian-prefix/postgresql-2026-11-29_003703.log
