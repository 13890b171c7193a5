connections --openmetrics --server=db1 --max-apps=2 --max-hosts=1 FX/default-prefix/postgresql-2026-11-29_004152.csv
