"""Renderer benchmark: seconds of audio rendered per wall second, and default-set build time.

1. Render speed in one process: one clip per genre (all 52), ``--seconds`` long, after a
   warm-up pass that loads the sample caches; prints wall and CPU real-time factors.
2. Build throughput with the real build code (render + FLAC write + manifest) into a
   temporary folder, with 1 and with 2 worker processes, on ``--per-genre`` clips per genre;
   extrapolated to the default set (52 x (224 + 40) clips of 10 s).

Run: ``PYTHONPATH=. nice -n 10 python bench/bench_render.py``. The machine's other load
changes wall-clock figures; the CPU real-time factor is the steadier number.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from genrelens.synth import GENRES, render_clip
from genrelens.synth.dataset import (
    DEFAULT_OOD_PER_GENRE,
    DEFAULT_PER_GENRE,
    DEFAULT_SECONDS,
    build,
    plan_render_jobs,
)


def render_speed(seconds: float) -> None:
    for genre in GENRES:  # warm-up: sample files, caches
        render_clip(genre, seed=0, seconds=2.0)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for genre in GENRES:
        render_clip(genre, seed=1, seconds=seconds)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    audio = seconds * len(GENRES)
    print(f"render_clip, 1 process, {len(GENRES)} clips x {seconds:g} s: wall {wall:.1f} s "
          f"({audio / wall:.1f} x real time), CPU {cpu:.1f} s ({audio / cpu:.1f} x real time per "
          f"core), {wall / len(GENRES) * 1000:.0f} ms per clip")


def build_speed(per_genre: int, workers: int) -> float:
    jobs = plan_render_jobs(list(GENRES), count=per_genre * len(GENRES), seconds=DEFAULT_SECONDS,
                            seed_start=5000)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        build(jobs, Path(tmp), workers=workers, progress=None)
        wall = time.perf_counter() - t0
    audio = len(jobs) * DEFAULT_SECONDS
    total = (DEFAULT_PER_GENRE + DEFAULT_OOD_PER_GENRE) * len(GENRES)
    estimate = wall / len(jobs) * total
    print(f"build, {workers} worker(s), {len(jobs)} clips x {DEFAULT_SECONDS:g} s: wall "
          f"{wall:.1f} s ({audio / wall:.1f} x real time, {len(jobs) / wall:.2f} clips/s); "
          f"default set of {total} clips: ~{estimate / 60:.0f} min")
    return wall


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--per-genre", type=int, default=2)
    args = ap.parse_args()
    print(f"cpus {os.cpu_count()}, load average {os.getloadavg()[0]:.2f}")
    render_speed(args.seconds)
    for workers in (1, 2):
        build_speed(args.per_genre, workers)


if __name__ == "__main__":
    main()
