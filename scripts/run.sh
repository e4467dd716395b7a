#!/usr/bin/env bash
# make run: install (once), prepare the Kota Pasuruan demo (once), serve web + worker on 127.0.0.1:${PORT:-8000}.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh run

# shellcheck source=scripts/demo-env.sh
. scripts/demo-env.sh

.venv/bin/sigap demo setup
exec .venv/bin/sigap serve --port "${PORT:-8000}"
