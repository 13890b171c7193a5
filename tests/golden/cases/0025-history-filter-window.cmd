connections --history --app=rails --window=2m --bucket=30s FX/default-prefix/postgresql-2026-11-29_004152.json
