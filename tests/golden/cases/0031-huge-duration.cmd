connections --since=9223372036854775807s FX/default-prefix/postgresql-2026-11-29_004152.log
