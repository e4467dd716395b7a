# The demo's environment, for `make run` and for a shell beside it:
#   . scripts/demo-env.sh && .venv/bin/sigap sitrep --from 2020-12-14 --to 2020-12-20 --format pdf --out sitrep.pdf
# Sourced, not run: it exports the demo's data folder, its local secrets (made once and kept beside the database;
# production sets its own), its story clock and where its messages go. Needs the .venv that `make run` installs.
_sigap_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

export SIGAP_DATA_DIR=${SIGAP_DATA_DIR:-$_sigap_root/var}
mkdir -p "$SIGAP_DATA_DIR"
if [ -z "${SECRET_KEY:-}" ] && [ -z "${SECRET_KEY_FILE:-}" ]; then
  if [ ! -s "$SIGAP_DATA_DIR/secret_key" ]; then
    (umask 077; "$_sigap_root/.venv/bin/python" -c 'import secrets; print(secrets.token_urlsafe(50))' \
      > "$SIGAP_DATA_DIR/secret_key")
  fi
  export SECRET_KEY_FILE="$SIGAP_DATA_DIR/secret_key"
fi
if [ -z "${SIGAP_FIELD_KEYS:-}" ] && [ -z "${SIGAP_FIELD_KEYS_FILE:-}" ]; then
  if [ ! -s "$SIGAP_DATA_DIR/field_keys" ]; then
    (umask 077; "$_sigap_root/.venv/bin/python" -c \
      'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())' > "$SIGAP_DATA_DIR/field_keys")
  fi
  export SIGAP_FIELD_KEYS_FILE="$SIGAP_DATA_DIR/field_keys"
fi
# The demo is served over plain HTTP on this machine only, so cookies cannot require HTTPS here.
export SIGAP_HTTPS=${SIGAP_HTTPS:-false}
# The demo is a month in 2020: Sigap's clock runs from the morning after it (21 Dec 2020, 07:30 WIB), fixed the first
# time the demo is prepared and kept in $SIGAP_DATA_DIR/demo_clock, so that its deadlines, escalations and daily
# assessments happen in the story's present (sigap/core/clock.py).
if [ -z "${SIGAP_DEMO_CLOCK:-}" ]; then
  SIGAP_DEMO_CLOCK=$("$_sigap_root/.venv/bin/sigap" demo clock)
  export SIGAP_DEMO_CLOCK
fi
# The demo's notifications: mail goes to a folder shown at /demo/kotak-surat/, the webhook to Sigap's own demo
# receiver and reporters' SMS to its demo gateway (hence private addresses allowed), links point at this server,
# and no quiet hours hold them back.
export SIGAP_PUBLIC_URL=${SIGAP_PUBLIC_URL:-http://127.0.0.1:${PORT:-8000}}
if [ -z "${SIGAP_REPORTER_GATEWAY_URL:-}" ]; then
  export SIGAP_REPORTER_GATEWAY_URL=$SIGAP_PUBLIC_URL/demo/sms/
  if [ ! -s "$SIGAP_DATA_DIR/demo_gateway_token" ]; then
    (umask 077; "$_sigap_root/.venv/bin/python" -c 'import secrets; print(secrets.token_urlsafe(24))' \
      > "$SIGAP_DATA_DIR/demo_gateway_token")
  fi
  SIGAP_REPORTER_GATEWAY_TOKEN=$(cat "$SIGAP_DATA_DIR/demo_gateway_token")
  export SIGAP_REPORTER_GATEWAY_TOKEN
fi
# Inbound texts: a gateway secret of the demo's own, so that the trusted reporter's pages explain NIHIL and PANTAU
# by SMS, which the demo phone (/demo/ponsel/) sends.
if [ -z "${SIGAP_GATEWAY_SECRET:-}" ] && [ -z "${SIGAP_GATEWAY_SECRET_FILE:-}" ]; then
  if [ ! -s "$SIGAP_DATA_DIR/demo_inbound_secret" ]; then
    (umask 077; "$_sigap_root/.venv/bin/python" -c 'import secrets; print(secrets.token_urlsafe(24))' \
      > "$SIGAP_DATA_DIR/demo_inbound_secret")
  fi
  export SIGAP_GATEWAY_SECRET_FILE="$SIGAP_DATA_DIR/demo_inbound_secret"
fi
export EMAIL_BACKEND=${EMAIL_BACKEND:-django.core.mail.backends.filebased.EmailBackend}
export SIGAP_NOTIFY_ALLOW_PRIVATE=${SIGAP_NOTIFY_ALLOW_PRIVATE:-true}
export SIGAP_QUIET_HOURS=${SIGAP_QUIET_HOURS:-0-0}
unset _sigap_root
