#!/usr/bin/env bash
# make run: install (once), prepare the Kota Pasuruan demo (once), serve web + worker on 127.0.0.1:${PORT:-8000}.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh run

export SIGAP_DATA_DIR=${SIGAP_DATA_DIR:-$PWD/var}
mkdir -p "$SIGAP_DATA_DIR"
# Local secrets, made once and kept beside the database (back them up with it); production sets its own.
if [ -z "${SECRET_KEY:-}" ] && [ -z "${SECRET_KEY_FILE:-}" ]; then
  if [ ! -s "$SIGAP_DATA_DIR/secret_key" ]; then
    (umask 077; .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))' > "$SIGAP_DATA_DIR/secret_key")
  fi
  export SECRET_KEY_FILE="$SIGAP_DATA_DIR/secret_key"
fi
if [ -z "${SIGAP_FIELD_KEYS:-}" ] && [ -z "${SIGAP_FIELD_KEYS_FILE:-}" ]; then
  if [ ! -s "$SIGAP_DATA_DIR/field_keys" ]; then
    (umask 077; .venv/bin/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())' \
      > "$SIGAP_DATA_DIR/field_keys")
  fi
  export SIGAP_FIELD_KEYS_FILE="$SIGAP_DATA_DIR/field_keys"
fi
# The demo is served over plain HTTP on this machine only, so cookies cannot require HTTPS here.
export SIGAP_HTTPS=${SIGAP_HTTPS:-false}
# The demo is a month in 2020: no daily assessment of today, which would hide it behind an empty present.
export SIGAP_RISK_DAILY=${SIGAP_RISK_DAILY:-false}

.venv/bin/sigap demo setup
exec .venv/bin/sigap serve --port "${PORT:-8000}"
