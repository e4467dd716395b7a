#!/usr/bin/env bash
# make evidence: the checks of trust on SQLite and on a throwaway PostgreSQL, written to a dated report in
# bench/results/ (evidence-YYYY-MM-DD.json with every figure, and a Markdown summary beside it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh evidence
bash scripts/install-test-deps.sh
export SECRET_KEY="evidence-$(date +%s)-not-secret" SIGAP_HTTPS=false SIGAP_RISK_DAILY=false
SIGAP_FIELD_KEYS=$(.venv/bin/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')
export SIGAP_FIELD_KEYS
unset DATABASE_URL DEBUG
WORK=$(mktemp -d /tmp/sigap-evidence.XXXXXX)  # mktemp's template, not a placeholder
source scripts/pg.sh
cleanup() { pg_stop; rm -rf "$WORK"; }
trap cleanup EXIT
SIGAP_DATA_DIR="$WORK/sqlite" && mkdir -p "$SIGAP_DATA_DIR" && export SIGAP_DATA_DIR
.venv/bin/python bench/evidence.py "$WORK/sqlite.json"
pg_start
SIGAP_DATA_DIR="$WORK/postgres" && mkdir -p "$SIGAP_DATA_DIR"
.venv/bin/python bench/evidence.py "$WORK/postgres.json"
.venv/bin/python bench/evidence_report.py "$WORK/sqlite.json" "$WORK/postgres.json"
