#!/usr/bin/env bash
# The response side at scale (2,000 open cases, 4,000 tasks) on SQLite and PostgreSQL: the worker's deadline check,
# the breach board, the case pages. Writes bench/results/response.json. Run from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh test >/dev/null
bash scripts/install-test-deps.sh
export SECRET_KEY="bench-$(date +%s)-not-secret" SIGAP_HTTPS=false SIGAP_RISK_DAILY=false
SIGAP_FIELD_KEYS=$(.venv/bin/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')
export SIGAP_FIELD_KEYS
RESULTS=$(mktemp -d /tmp/sigap-bench.XXXXXX)
source scripts/pg.sh
trap pg_stop EXIT
unset DATABASE_URL
SIGAP_DATA_DIR="$RESULTS/sqlite" && mkdir -p "$SIGAP_DATA_DIR" && export SIGAP_DATA_DIR
.venv/bin/python bench/response_bench.py "$RESULTS/sqlite.json" "$@"
pg_start
.venv/bin/python bench/response_bench.py "$RESULTS/postgres.json" "$@"
.venv/bin/python - "$RESULTS" <<'PY'
import json, platform, sys
from datetime import UTC, datetime
from pathlib import Path
d = Path(sys.argv[1])
runs = {name: json.loads((d / f"{name}.json").read_text()) for name in ("sqlite", "postgres")}
out = {"generated_at": datetime.now(UTC).isoformat(timespec="seconds"), "python": platform.python_version(),
       "runs": runs}
Path("bench/results/response.json").write_text(json.dumps(out, indent=1) + "\n")
print(json.dumps(out, indent=1))
PY
