#!/bin/sh
# SPDX-License-Identifier: PostgreSQL
# Rewrite the expected output of every golden case from the current build,
# then show what changed.  Review the diff before committing it.
cd "$(dirname "$0")"
APPROVE=1 PGTAIL=${PGTAIL:-../../build/pgtail} ./run.sh
git diff --stat -- cases
