#!/usr/bin/env bash
# End-to-end test: builds the front end, starts GenreLens in embedded mode on a free port with a
# throw-away data directory, runs the Playwright suite (Debian Chromium, headless) against it,
# then stops the server. Screenshots go to $GENRELENS_E2E_SCREENSHOTS (default: a temp folder;
# set it to docs/img to refresh the documentation's screenshots).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY="$ROOT/.venv/bin/python"
VAR=$(mktemp -d /tmp/genrelens-e2e-XXXXXX)
export GENRELENS_VAR_DIR="$VAR"
export GENRELENS_E2E_SCREENSHOTS="${GENRELENS_E2E_SCREENSHOTS:-$VAR/screenshots}"
mkdir -p "$GENRELENS_E2E_SCREENSHOTS"
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

(cd frontend && npm run build >/dev/null)
"$PY" backend/genrelens_serve.py --port "$PORT" >"$VAR/server.log" 2>&1 &
SERVER=$!
# SIGTERM, not SIGINT: a background job of a non-interactive shell ignores SIGINT.
cleanup() {
  kill -TERM "$SERVER" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$SERVER" 2>/dev/null || break; sleep 1; done
  kill -KILL "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  rm -rf "$VAR"
}
trap cleanup EXIT

for _ in $(seq 1 120); do
  curl -fsS --max-time 5 "http://127.0.0.1:$PORT/api/health/ready" >/dev/null 2>&1 && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$VAR/server.log"; exit 1; }
  sleep 1
done
curl -fsS --max-time 5 "http://127.0.0.1:$PORT/api/health/ready" >/dev/null || { cat "$VAR/server.log"; exit 1; }
GENRELENS_E2E_TOKEN=$(cd backend && "$PY" manage.py create_api_token e2e --staff | tail -n 1)
export GENRELENS_E2E_TOKEN GENRELENS_E2E_URL="http://127.0.0.1:$PORT"
(cd frontend && npm run e2e) || { echo "== server log"; tail -50 "$VAR/server.log"; exit 1; }
