connections --since=00:43:00 --until=00:44:00 FX/default-prefix/postgresql-2026-11-29_004152.json
