LC_ALL=C connections --history --bucket=1m FX/default-prefix/postgresql-2026-11-29_004152.log
