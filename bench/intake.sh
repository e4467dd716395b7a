#!/usr/bin/env bash
# Reports accepted per second through POST /api/v1/reports (triage included), against the same server's no-op
# GET /api/v1/ping in the same run; on SQLite and on PostgreSQL. Writes bench/results/intake.json.
# Run from the repository root: bash bench/intake.sh   (installs wrk from Debian when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh test >/dev/null
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
bash scripts/install-test-deps.sh
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
export SECRET_KEY="bench-$(date +%s)-not-secret" SIGAP_HTTPS=false
SIGAP_FIELD_KEYS=$(.venv/bin/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')
export SIGAP_FIELD_KEYS
RESULTS=$(mktemp -d /tmp/sigap-bench.XXXXXX)
source scripts/pg.sh
# Triage classifies every report with the text model, as in a deployment (`make run` trains it with the demo).
export SIGAP_TEXT_MODEL_PATH="$RESULTS/textmodel.joblib" SIGAP_DATA_DIR="$RESULTS/model-training"
.venv/bin/sigap triage train >/dev/null
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill -INT "$server_pid" 2>/dev/null; wait 2>/dev/null || true; pg_stop; }
trap cleanup EXIT

cat > "$RESULTS/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
local kel = {"Bugul Lor", "Tapaan", "Kebonagung", "Trajeng", "Mayangan", "Kepel", "Karangketug", "Pohjentrek"}
local what = {"ada pembagian amplop atas nama paslon", "pendukung paslon saling dorong di pasar",
              "spanduk SARA dipasang di gang", "warga protes bansos tidak merata", "isu penculikan anak beredar"}
local n = 0
request = function()
  n = n + 1
  local body = string.format('{"description": "%s di %s RW %02d, laporan %d"}', what[n % #what + 1],
                             kel[n % #kel + 1], n % 12 + 1, n)
  return wrk.format(nil, "/api/v1/reports", nil, body)
end
LUA

run_one() {  # $1 = label (sqlite|postgres)
  local label=$1 port=8765 data="$RESULTS/$1"
  mkdir -p "$data"
  export SIGAP_DATA_DIR="$data"
  .venv/bin/sigap migrate --no-input -v 0
  .venv/bin/sigap regions load 35.75 --no-progress >/dev/null
  .venv/bin/sigap collectstatic --no-input -v 0
  BENCH_TOKEN=$(.venv/bin/sigap shell -c "
import hashlib, secrets
from sigap.intake.models import ApiPartner
token = secrets.token_urlsafe(24)
ApiPartner.objects.create(name='bench-' + secrets.token_hex(3), token_sha256=hashlib.sha256(token.encode()).hexdigest())
print(token)" 2>/dev/null | tail -n1)
  export BENCH_TOKEN
  .venv/bin/sigap serve --port $port --web-workers 2 --no-worker > "$RESULTS/$label-server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 60); do curl -sf "http://127.0.0.1:$port/api/v1/ping" >/dev/null && break; sleep 0.5; done
  wrk -t1 -c"$CONNECTIONS" -d2s "http://127.0.0.1:$port/api/v1/ping" >/dev/null  # warm-up
  # and each process loads the text model on its first report (about a second): not part of the steady state
  wrk -t1 -c"$CONNECTIONS" -d3s -s "$RESULTS/post.lua" "http://127.0.0.1:$port" >/dev/null
  wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$port/api/v1/ping" > "$RESULTS/$label-noop.txt"
  wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$RESULTS/post.lua" "http://127.0.0.1:$port" > "$RESULTS/$label-post.txt"
  kill -INT "$server_pid"; wait "$server_pid" || true; server_pid=""
  .venv/bin/sigap shell -c "
from sigap.intake.models import Report
print('stored', Report.objects.count(), 'triaged', Report.objects.exclude(incident=None).count(),
      'classified', Report.objects.filter(triage__has_key='text_model').count())" 2>/dev/null | tail -n1 > "$RESULTS/$label-count.txt"
}

unset DATABASE_URL
run_one sqlite
pg_start
run_one postgres
.venv/bin/python bench/intake_report.py "$RESULTS" "$DURATION" "$CONNECTIONS"
