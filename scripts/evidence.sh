#!/usr/bin/env bash
# make evidence: the checks of trust on SQLite and on a throwaway PostgreSQL (bench/evidence.py, through the
# benchmarks' runner), then the dependency audit and the dated report: bench/results/evidence-YYYY-MM-DD.json
# with every figure, and a Markdown summary beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh evidence
SIGAP_BENCH_PROFILE=evidence bash bench/both_databases.sh evidence-runs bench/evidence.py
.venv/bin/python bench/evidence_report.py bench/results/evidence-runs.json
