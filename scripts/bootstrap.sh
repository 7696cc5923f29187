#!/usr/bin/env bash
# Installs what GenreLens needs, once: Debian packages, a Python 3.11 venv with the CPU torch
# wheel (the train extra: analysis itself runs on ONNX Runtime), and the front end's npm packages. Re-running is cheap: each step is skipped when the
# stamp of its inputs has not changed. Progress is printed as it goes.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV="$ROOT/.venv"
STAMPS="$ROOT/.venv/.stamps"

say() { printf '\033[1m[genrelens setup]\033[0m %s\n' "$*" >&2; }

# Debian packages: ffmpeg decodes m4a/aac; the sample packages (and fluidsynth, which plays the
# GM sound font) feed the genre renderer;
# chromium runs the end-to-end tests.
APT_PACKAGES=(ffmpeg chromium sonic-pi-samples hydrogen-drumkits lmms-common fluid-soundfont-gm fluidsynth)

apt_missing() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  echo "${missing[@]:-}"
}

missing=$(apt_missing)
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian packages: $missing"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing
  else
    say "warning: missing Debian packages ($missing); install them with: sudo apt-get install $missing"
  fi
fi

PY=${GENRELENS_PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
if [ ! -x "$VENV/bin/python" ]; then
  say "creating the Python venv in .venv ($($PY --version))"
  "$PY" -m venv "$VENV"
fi
mkdir -p "$STAMPS"

stamp_ok() { [ -f "$STAMPS/$1" ] && [ "$(cat "$STAMPS/$1")" = "$2" ]; }

py_inputs=$(cat pyproject.toml $(ls requirements.lock 2>/dev/null) | sha256sum | cut -c1-16)
if ! stamp_ok python "$py_inputs"; then
  say "installing Python packages (torch CPU wheel, librosa, Django, Celery...); first run takes a few minutes"
  "$VENV/bin/python" -m pip install --progress-bar on --upgrade pip
  # torch first and pinned, so that no other package can pull a different (CUDA) build.
  "$VENV/bin/python" -m pip install --progress-bar on torch==2.13.0
  if [ -f requirements.lock ]; then
    "$VENV/bin/python" -m pip install --progress-bar on -r requirements.lock
  fi
  "$VENV/bin/python" -m pip install --progress-bar on -e ".[web,dev,train]"
  echo "$py_inputs" > "$STAMPS/python"
fi

if [ -f frontend/package.json ]; then
  js_inputs=$(cat frontend/package.json $(ls frontend/package-lock.json 2>/dev/null) | sha256sum | cut -c1-16)
  if ! stamp_ok node "$js_inputs" || [ ! -d frontend/node_modules ]; then
    say "installing the front end's npm packages"
    (cd frontend && npm ci --no-audit --no-fund)
    echo "$js_inputs" > "$STAMPS/node"
  fi
fi
say "ready"
