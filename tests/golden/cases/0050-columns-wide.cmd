COLUMNS=200 connections FX/default-prefix/postgresql-2026-11-29_004152.log
