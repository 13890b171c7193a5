__complete connections FX/default-prefix/postgresql-2026-11-29_004152.log --app=
