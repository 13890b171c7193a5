connections 'user=read*' db=analytics FX/default-prefix/postgresql-2026-11-29_004152.csv
