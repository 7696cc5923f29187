"""Benchmark: cold start of ``genrelens analyze`` on a 30 s clip, against plain librosa, same run.

Each figure is one fresh interpreter, started and waited for by this driver: wall time from
spawn to exit, CPU time (user + system, children included; less sensitive than wall time to
other load on the machine) and peak RSS as ``wait4`` reports it (the largest resident set of
the process or of any child it waited for, e.g. the isolated decoder). Runs alternate between the commands
(``--repeats`` rounds) and the medians are printed, with the ratio to the baselines:

* ``genrelens analyze --json CLIP`` (``python -m genrelens``, decode + features + musicnn gate
  + genre model), from the package under ``--package-root`` (default: this checkout);
* plain librosa: ``librosa.load`` (22.05 kHz mono) + ``librosa.feature.melspectrogram``;
* the same + ``librosa.beat.beat_track`` (numba compiles its kernels on first use).

The clip is the test signal generator's 128 BPM click track with noise, 44.1 kHz stereo WAV.

Usage::

    .venv/bin/python bench/bench_cold_start.py [--repeats 5] [--package-root DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from signals import click_track, noise  # noqa: E402

CACHE = ROOT / ".cache" / "bench"
SR_FILE = 44100
CLIP_SECONDS = 30.0

LIBROSA_MEL = (
    "import sys, librosa\n"
    "y, sr = librosa.load(sys.argv[1], sr=22050, mono=True)\n"
    "librosa.feature.melspectrogram(y=y, sr=sr)\n"
)
LIBROSA_BEATS = LIBROSA_MEL + "librosa.beat.beat_track(y=y, sr=sr)\n"


def clip_path() -> Path:
    """The 30-second stereo WAV (written once into .cache/bench)."""
    path = CACHE / "clip30.wav"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        y = click_track(128.0, CLIP_SECONDS, sr=SR_FILE, seed=7)
        y = y + noise(CLIP_SECONDS, sr=SR_FILE, seed=7, gain=0.02)
        sf.write(path, np.stack([y, 0.9 * y], axis=1), SR_FILE)
    return path


def fresh_run(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS [MB] of one fresh process (children included)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        raise SystemExit(f"{argv[:4]} failed ({proc.returncode}): {err[-500:]}")
    if proc.stderr:
        proc.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # Linux reports KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--package-root", type=Path, default=ROOT,
                        help="directory holding the genrelens package to time (default: this checkout)")
    args = parser.parse_args()
    clip = str(clip_path())
    # ``python -m`` puts the working directory first on sys.path: run in the package root.
    cwd = args.package_root.resolve()
    env = dict(os.environ, PYTHONPATH=str(cwd))
    commands = {
        "genrelens analyze": [sys.executable, "-m", "genrelens", "analyze", "--json", clip],
        "librosa load + melspectrogram": [sys.executable, "-c", LIBROSA_MEL, clip],
        "librosa load + mel + beat_track": [sys.executable, "-c", LIBROSA_BEATS, clip],
    }
    fresh_run(commands["genrelens analyze"], env, cwd)  # warm the OS file cache, not the process
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in commands}
    for _ in range(args.repeats):
        for name, argv in commands.items():
            runs[name].append(fresh_run(argv, env, cwd))
    print(f"cold start, {CLIP_SECONDS:.0f} s 44.1 kHz stereo WAV, fresh process each, median of "
          f"{args.repeats}; package {args.package_root}; load average {os.getloadavg()[0]:.2f} "
          f"on {os.cpu_count()} CPUs")
    ours = statistics.median(w for w, _, _ in runs["genrelens analyze"])
    for name, values in runs.items():
        wall = statistics.median(w for w, _, _ in values)
        cpu = statistics.median(c for _, c, _ in values)
        rss = statistics.median(r for _, _, r in values)
        ratio = "" if name == "genrelens analyze" else f"   genrelens / this: {ours / wall:.2f}x"
        print(f"{name:<34}{wall:6.2f} s wall (min {min(w for w, _, _ in values):.2f}), {cpu:5.2f} s CPU,"
              f" peak RSS {rss:4.0f} MB{ratio}")


if __name__ == "__main__":
    main()
