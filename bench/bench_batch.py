"""``genrelens analyze`` over a folder of files: one file at a time against one process per core.

Makes ``--files`` test-signal clips (``--seconds`` long, 44.1 kHz stereo WAV, tempos 110-170
BPM) once under .cache/bench/batch, then runs ``genrelens analyze --json`` over all of them
with ``--jobs 1`` (the baseline, measured in the same run) and with ``--jobs N``. It prints
the wall time, files a minute, and the CPU seconds of the command and its children divided by
the wall time: how many cores the batch kept busy.

Usage: python bench/bench_batch.py [--files 100] [--seconds 30] [--jobs N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from signals import click_track, noise  # noqa: E402

CACHE = ROOT / ".cache" / "bench" / "batch"
SR_FILE = 44100


def _clips(count: int, seconds: float) -> list[Path]:
    folder = CACHE / f"{count}x{seconds:g}s"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"clip{i:03d}.wav"
        if not path.exists():
            bpm = 110.0 + (i * 7) % 60
            y = click_track(bpm, seconds, sr=SR_FILE, seed=i) + noise(seconds, sr=SR_FILE, seed=i, gain=0.02)
            sf.write(path, np.stack([y, 0.9 * y], axis=1), SR_FILE)
        paths.append(path)
    return paths


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(paths: list[Path], jobs: int) -> dict[str, float]:
    cmd = [sys.executable, "-m", "genrelens", "analyze", "--json", "--jobs", str(jobs),
           *map(str, paths)]
    cpu0, t0 = _children_cpu(), time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    wall, cpu = time.perf_counter() - t0, _children_cpu() - cpu0
    answered = sum(1 for line in done.stdout.splitlines() if json.loads(line).get("tempo"))
    if done.returncode != 0 or answered != len(paths):
        raise SystemExit(f"analyze --jobs {jobs} failed ({done.returncode}): {done.stderr[-500:]}")
    return {"wall": wall, "cpu": cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    args = parser.parse_args()
    paths = _clips(args.files, args.seconds)
    load = os.getloadavg()[0]
    rows = {jobs: _run(paths, jobs) for jobs in (1, args.jobs)}
    print(f"genrelens analyze over {len(paths)} clips of {args.seconds:g} s "
          f"({len(os.sched_getaffinity(0))} cores, load average {load:.2f} at the start)")
    print(f"{'jobs':>5}{'wall s':>9}{'files/min':>11}{'cores busy':>12}{'vs --jobs 1':>13}")
    base = rows[1]["wall"]
    for jobs, row in rows.items():
        print(f"{jobs:>5}{row['wall']:>9.1f}{60 * len(paths) / row['wall']:>11.1f}"
              f"{row['cpu'] / row['wall']:>12.2f}{base / row['wall']:>12.2f}x")


if __name__ == "__main__":
    main()
