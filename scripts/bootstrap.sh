#!/usr/bin/env bash
# Create .venv and install Sigap into it; a second call with unchanged pyproject.toml does nothing.
# Usage: scripts/bootstrap.sh [run|test]
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-run}

pick_python() {
  for candidate in "${PYTHON:-}" python3.11 python3.12 python3.13 python3; do
    [ -n "$candidate" ] || continue
    command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
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
  .venv/bin/python -m pip install -q --upgrade pip
fi

extras=""
[ "$profile" = "test" ] && extras="[test]"
stamp=".venv/.sigap-installed-$profile-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "==> installing Sigap ($profile) into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".$extras" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
  rm -f .venv/.sigap-installed-"$profile"-*
  touch "$stamp"
fi
