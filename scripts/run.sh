#!/usr/bin/env bash
# Runs GenreLens on this machine (embedded mode: SQLite and a filesystem job queue under var/,
# one analysis worker beside the web server). Installs what is missing first, builds the front
# end when its sources changed, then serves until Ctrl-C. Options go to backend/genrelens_serve.py
# (--host, --port, --no-worker); GENRELENS_VAR_DIR moves the data directory.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
if [ -f frontend/package.json ]; then
  if [ ! -f frontend/dist/index.html ] \
     || [ -n "$(find frontend/src frontend/index.html frontend/package.json -newer frontend/dist/index.html -print -quit 2>/dev/null)" ]; then
    printf '\033[1m[genrelens]\033[0m building the front end\n' >&2
    (cd frontend && npm run build)
  fi
fi
exec .venv/bin/python backend/genrelens_serve.py "$@"
