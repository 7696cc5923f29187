#!/usr/bin/env bash
# Runs every GenreLens test: installs what is missing first (scripts/bootstrap.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export PATH="$(pwd)/.venv/bin:$PATH"
echo "== ruff" && ruff check .
echo "== mypy --strict (core)" && mypy
echo "== pytest" && python -m pytest -q -p no:cacheprovider "$@"
echo "== vitest" && (cd frontend && npx vitest run)
echo "== end to end (Playwright + Chromium against the embedded server)" && bash scripts/e2e.sh
