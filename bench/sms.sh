#!/usr/bin/env bash
# Inbound NIHIL and PANTAU with 100 to 50,000 registered phones, on SQLite and PostgreSQL: the time to recognise the
# sender and to take the message. Writes bench/results/sms.json. Run from the repository root.
exec bash "$(dirname "$0")/both_databases.sh" sms bench/sms_bench.py "$@"
