#!/usr/bin/env bash
# The leadership view with a year of data and a million reports, on SQLite and PostgreSQL (dashboard, public
# page, exports, weekly situation report). Writes bench/results/dashboard.json. Run from the repository root.
exec bash "$(dirname "$0")/both_databases.sh" dashboard bench/dashboard_bench.py "$@"
