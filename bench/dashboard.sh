#!/usr/bin/env bash
# The leadership view with a year of data and a million reports, on SQLite and PostgreSQL (dashboard, public
# page, exports, weekly situation report). Writes bench/results/dashboard.json. Run from the repository root.
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
.venv/bin/python bench/dashboard_bench.py "$RESULTS/sqlite.json" "$@"
pg_start
.venv/bin/python bench/dashboard_bench.py "$RESULTS/postgres.json" "$@"
.venv/bin/python - "$RESULTS" <<'PY'
import json, platform, sys
from datetime import UTC, datetime
from pathlib import Path
d = Path(sys.argv[1])
runs = {name: json.loads((d / f"{name}.json").read_text()) for name in ("sqlite", "postgres")}
out = {"generated_at": datetime.now(UTC).isoformat(timespec="seconds"), "python": platform.python_version(),
       "runs": runs}
Path("bench/results/dashboard.json").write_text(json.dumps(out, indent=1) + "\n")
print(json.dumps(out, indent=1))
PY
