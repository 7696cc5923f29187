"""Query time of "sounds like": brute-force cosine at 10,000 and 100,000 vectors, and the web path.

``python bench/bench_similar.py [--tracks 10000] [--vectors 10000 100000] [--queries 200]``

1. ``genrelens.library.similar.nearest`` over N random unit vectors of the library's width
   (400 musicnn numbers and 52 genres), the 20 best of each query: p50 / p99 per N.
2. ``catalog.selectors.track_similar`` in a fresh embedded instance seeded like bench_api.py
   (N tracks, each with every genre score row and a 400-number embedding): the first query of a
   process (which reads the library's vectors from the database: the baseline), then the
   following queries (which find them kept), p50 / p99 and the ratio, plain and with the BPM
   and key filters.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from webbench import bench_environment  # noqa: E402

__all__ = ["main"]

#: Width of a library vector: musicnn's two 200-number embeddings and 52 modelled genres.
EMBEDDING = 400
GENRES = 52


def _percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def bench_nearest(sizes: list[int], queries: int) -> None:
    """Brute force over random unit vectors, one matrix-vector product a query."""
    from genrelens.library.similar import nearest

    rng = np.random.default_rng(440)
    print("| vectors | p50 ms | p99 ms |\n|---|---|---|")
    for size in sizes:
        vectors = rng.standard_normal((size, EMBEDDING + GENRES), dtype=np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)  # float32, as the web keeps them
        times = []
        for row in rng.integers(0, size, queries):
            started = time.perf_counter()
            nearest(vectors[row], vectors, k=20)
            times.append((time.perf_counter() - started) * 1000)
        p50, p99 = _percentiles(times)
        print(f"| {size:,} | {p50:.1f} | {p99:.1f} |", flush=True)


def bench_web(tracks: int, queries: int) -> None:
    """``track_similar`` on a seeded embedded instance: first query against the rest."""
    with bench_environment("embedded"):
        from bench_api import seed

        started = time.monotonic()
        seed(tracks)
        from django.db import transaction

        from catalog import similarity
        from catalog.models import Track
        from catalog.selectors import track_similar

        rng = np.random.default_rng(441)
        rows = list(Track.objects.only("pk"))
        with transaction.atomic():
            for track in rows:
                track.sound = rng.standard_normal(EMBEDDING).astype(np.float32).tobytes()
            Track.objects.bulk_update(rows, ["sound"], batch_size=1000)
        print(f"seeded {tracks} tracks with embeddings in {time.monotonic() - started:.0f} s\n")
        picks = random.Random(442).sample(rows, min(queries, len(rows)))
        full = {t.pk: t for t in Track.objects.filter(pk__in=[p.pk for p in picks])}
        print("| query | first (reads the vectors) ms | then p50 ms | then p99 ms | first / p50 |")
        print("|---|---|---|---|---|")
        for label, options in (("plain", {}),
                               ("within 6 BPM, keys that mix", {"bpm_tolerance": 6.0,
                                                                "compatible_key": True})):
            similarity.forget()
            started = time.perf_counter()
            track_similar(full[picks[0].pk], user=None, **options)
            first = (time.perf_counter() - started) * 1000
            times = []
            for pick in picks[1:]:
                started = time.perf_counter()
                found = track_similar(full[pick.pk], user=None, **options)
                times.append((time.perf_counter() - started) * 1000)
                assert found, "no neighbours"
            p50, p99 = _percentiles(times)
            print(f"| {label} | {first:.0f} | {p50:.1f} | {p99:.1f} | {first / p50:.0f}x |",
                  flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracks", type=int, default=10_000)
    parser.add_argument("--vectors", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    print(f"nearest(), brute force, {EMBEDDING + GENRES} numbers a vector, 20 best\n")
    bench_nearest(args.vectors, args.queries)
    print(f"\ntrack_similar() on {args.tracks} tracks (embedded, SQLite)\n")
    bench_web(args.tracks, min(args.queries, 100))
    return 0


if __name__ == "__main__":
    sys.exit(main())
