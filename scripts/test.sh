#!/usr/bin/env bash
# make test: install what the tests need, run the quality gates, then the whole suite on SQLite and PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

bash scripts/bootstrap.sh test
bash scripts/install-test-deps.sh

SIGAP_DATA_DIR=$(mktemp -d /tmp/sigap-test.XXXXXX)
export SIGAP_DATA_DIR
export SECRET_KEY="test-only-$(python3 -c 'import secrets; print(secrets.token_hex(24))')"
SIGAP_FIELD_KEYS=$(.venv/bin/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')
export SIGAP_FIELD_KEYS
unset DATABASE_URL DEBUG SECRET_KEY_FILE SIGAP_FIELD_KEYS_FILE
source scripts/pg.sh
cleanup() { pg_stop; rm -rf "$SIGAP_DATA_DIR"; }
trap cleanup EXIT

echo "==> ruff (lint and format)"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "==> mypy (strict)"
.venv/bin/mypy sigap
echo "==> migrations are up to date"
.venv/bin/sigap makemigrations --check --dry-run

run_pytest() {
  local label=$1; shift
  echo "==> pytest on $label"
  set +e
  .venv/bin/pytest "$@"
  local code=$?
  set -e
  if [ $code -eq 5 ]; then echo "pytest collected no tests on $label: that is a failure" >&2; exit 1; fi
  [ $code -eq 0 ] || exit $code
}

run_pytest SQLite -p no:cacheprovider -q
pg_start
run_pytest PostgreSQL -p no:cacheprovider -q
echo "==> all gates passed in $(( $(date +%s) - started )) s"
