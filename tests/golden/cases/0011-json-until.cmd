connections --json --until=2026-11-29T00:44:40Z FX/default-prefix/postgresql-2026-11-29_004152.log
