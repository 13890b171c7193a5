PGTAIL_COMPLETE_MS=60000 __complete connections FX/default-prefix/postgresql-2026-11-29_004152.log --app=
