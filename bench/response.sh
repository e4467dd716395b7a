#!/usr/bin/env bash
# The response side at scale (2,000 open cases, 4,000 tasks) on SQLite and PostgreSQL: the worker's deadline check,
# the breach board, the case pages. Writes bench/results/response.json. Run from the repository root.
exec bash "$(dirname "$0")/both_databases.sh" response bench/response_bench.py "$@"
