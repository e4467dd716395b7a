#!/usr/bin/env bash
# Create .venv and install Sigap into it; a second call with unchanged pyproject.toml does nothing.
# Usage: scripts/bootstrap.sh [run|test|evidence]
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-run}

pick_python() {
  for candidate in "${PYTHON:-}" python3.11 python3.12 python3.13 python3; do
    [ -n "$candidate" ] || continue
    command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" -c 'import sys, venv, ensurepip; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "Sigap needs Python 3.11 or newer with the venv module (Debian: apt-get install python3 python3-venv)." >&2
  return 1
}

if [ ! -x .venv/bin/python ]; then
  py=$(pick_python)
  echo "==> creating .venv with $($py --version)"
  "$py" -m venv .venv
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip > /dev/null 2>&1 || true
fi

extras=""
[ "$profile" = "test" ] && extras="[test]"
[ "$profile" = "evidence" ] && extras="[test,evidence]"
stamp=".venv/.sigap-installed-$profile-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "==> installing Sigap ($profile) into .venv (log: .venv/install.log)"
  if ! .venv/bin/python -m pip install --disable-pip-version-check -e ".$extras" > .venv/install.log 2>&1; then
    tail -n 30 .venv/install.log >&2
    echo "Installing the Python packages failed; the full log is in .venv/install.log" >&2
    exit 1
  fi
  rm -f .venv/.sigap-installed-"$profile"-*
  touch "$stamp"
fi
