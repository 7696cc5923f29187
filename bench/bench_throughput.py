"""Analysis throughput (tracks per minute) of a queued folder scan with 1 and 2 Celery workers.

``python bench/bench_throughput.py --mode embedded|service [--tracks 8] [--seconds 30]``

For each worker count: a fresh instance, N generated tracks (a kick at 128 BPM over a bass tone
and noise, distinct seeds) in one folder, queued by ``analysis_scan_queue`` (``manage.py
scan_library --queue``: each file an analysis job, as its upload would be; the messages queue
up), then W ``celery worker --concurrency 1`` processes started at once. Throughput is N divided
by the span from the first job's start to the last job's end (worker start-up excluded; the wall
time including it is printed too), and each row's ratio to the first row's.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parent))
from webbench import BACKEND_DIR, Mode, bench_environment  # noqa: E402

from genrelens.runtime import THREAD_ENV  # noqa: E402

__all__ = ["SR", "main", "render_track"]

SR = 22050
#: Longest a run may take before it is abandoned [seconds].
RUN_LIMIT_S = 900


def render_track(seconds: float, *, seed: int) -> np.ndarray:
    """A 128 BPM kick over a 55 Hz tone and noise [shape=(n,), float32]."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * SR)) / SR
    y = 0.2 * np.sin(2 * np.pi * 55.0 * t) + 0.03 * rng.standard_normal(t.size)
    kick_t = np.arange(int(0.12 * SR)) / SR
    kick = np.sin(2 * np.pi * (50 + 100 * np.exp(-kick_t * 30)) * kick_t) * np.exp(-kick_t * 25)
    for start in range(0, t.size - kick.size, int(SR * 60 / 128)):
        y[start:start + kick.size] += 0.8 * kick
    return (0.5 * y / np.abs(y).max()).astype(np.float32)


def _run(mode: Mode, *, workers: int, tracks: int, seconds: float,
         threads: int | None) -> dict[str, float]:
    with bench_environment(mode) as env:
        if threads is not None:
            env.update(dict.fromkeys(THREAD_ENV, str(threads)))
        import django

        django.setup()
        from django.core.management import call_command

        from analyses.models import Analysis
        from analyses.services import analysis_scan_queue

        call_command("migrate", verbosity=0)
        with tempfile.TemporaryDirectory() as tmp:
            for seed in range(tracks):
                path = Path(tmp) / f"bench-{seed}.wav"
                sf.write(path, render_track(seconds, seed=seed), SR, subtype="PCM_16")
            queued = analysis_scan_queue(dirs=[Path(tmp)])
        assert len(queued.analyses) == tracks and not queued.failures
        assert Analysis.objects.filter(dispatched_at__isnull=False).count() == tracks
        started = time.monotonic()
        procs = [subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency", "1",
             "--loglevel", "WARNING", "-n", f"bench{i}@%h", "--without-gossip",
             "--without-mingle"], cwd=BACKEND_DIR, env=env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True) for i in range(workers)]
        try:
            while Analysis.objects.exclude(status__in=("succeeded", "failed")).exists():
                if time.monotonic() - started > RUN_LIMIT_S:
                    raise RuntimeError("the run took too long")
                time.sleep(0.5)
            wall = time.monotonic() - started
        finally:
            for proc in procs:
                proc.send_signal(signal.SIGTERM)
            for proc in procs:
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
        rows = list(Analysis.objects.values_list("status", "started_at", "finished_at"))
        failed = sum(1 for status, _, _ in rows if status != "succeeded")
        span = (max(r[2] for r in rows) - min(r[1] for r in rows)).total_seconds()
        from django.db import connections

        connections.close_all()
    return {"span_s": span, "wall_s": wall, "per_min": tracks / span * 60, "failed": failed}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("embedded", "service"), default="embedded")
    parser.add_argument("--tracks", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--threads", type=int, default=None,
                        help=f"set {', '.join(THREAD_ENV)} of the workers (default: theirs, 1)")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:  # one worker count per process: Django settings are read once per process
        stats = _run(args.mode, workers=args.workers[0], tracks=args.tracks,
                     seconds=args.seconds, threads=args.threads)
        print(json.dumps(stats))
        return 0
    threads = "their own threads (1)" if args.threads is None else f"{args.threads} threads"
    print(f"{args.mode}: {args.tracks} tracks of {args.seconds:.0f} s, workers with {threads}\n")
    print("| workers | tracks/min | ratio to the first row | first start -> last end | "
          "wall incl. start-up | failed |")
    print("|---|---|---|---|---|---|")
    baseline = None
    for workers in args.workers:
        done = subprocess.run(
            [sys.executable, __file__, "--one", "--mode", args.mode, "--tracks",
             str(args.tracks), "--seconds", str(args.seconds), "--workers", str(workers),
             *(["--threads", str(args.threads)] if args.threads is not None else [])],
            capture_output=True, text=True, check=True, timeout=RUN_LIMIT_S + 120)
        stats = json.loads(done.stdout.strip().splitlines()[-1])
        baseline = baseline or stats["per_min"]
        print(f"| {workers} | {stats['per_min']:.1f} | {stats['per_min'] / baseline:.2f}x | "
              f"{stats['span_s']:.1f} s | "
              f"{stats['wall_s']:.1f} s | {stats['failed']:.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
