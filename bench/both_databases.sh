#!/usr/bin/env bash
# Run one benchmark script on SQLite, then on a throwaway PostgreSQL, and write bench/results/NAME.json with both.
# Usage (from the repository root): bash bench/both_databases.sh NAME SCRIPT.py [args for the script...]
# SIGAP_BENCH_PROFILE=evidence installs the evidence extras too (default: test).
set -euo pipefail
cd "$(dirname "$0")/.."
name=$1 script=$2
shift 2
bash scripts/bootstrap.sh "${SIGAP_BENCH_PROFILE:-test}" >/dev/null
bash scripts/install-test-deps.sh
export SECRET_KEY="bench-$(date +%s)-not-secret" SIGAP_HTTPS=false SIGAP_RISK_DAILY=false
SIGAP_FIELD_KEYS=$(.venv/bin/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')
export SIGAP_FIELD_KEYS
RESULTS=$(.venv/bin/python -c 'import tempfile; print(tempfile.mkdtemp(prefix="sigap-bench-"))')
source scripts/pg.sh
trap 'pg_stop; rm -rf "$RESULTS"' EXIT
unset DATABASE_URL
SIGAP_DATA_DIR="$RESULTS/sqlite" && mkdir -p "$SIGAP_DATA_DIR" && export SIGAP_DATA_DIR
.venv/bin/python "$script" "$RESULTS/sqlite.json" "$@"
pg_start
.venv/bin/python "$script" "$RESULTS/postgres.json" "$@"
.venv/bin/python - "$RESULTS" "$name" <<'PY'
import json, platform, sys
from datetime import UTC, datetime
from pathlib import Path
d, name = Path(sys.argv[1]), sys.argv[2]
runs = {db: json.loads((d / f"{db}.json").read_text()) for db in ("sqlite", "postgres")}
out = {"generated_at": datetime.now(UTC).isoformat(timespec="seconds"), "python": platform.python_version(),
       "runs": runs}
Path(f"bench/results/{name}.json").write_text(json.dumps(out, indent=1) + "\n")
print(f"written: bench/results/{name}.json")
PY
