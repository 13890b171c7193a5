connections --metrics FX/default-prefix/postgresql-2026-11-29_004152.log
