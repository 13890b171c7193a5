PGTAIL_COMPLETE_MS=60000 __complete --describe connections FX/default-prefix/postgresql-2026-11-29_004152.log user=r
