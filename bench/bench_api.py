"""API latency of the list endpoints with 10,000 analysed tracks, measured with ApacheBench.

``python bench/bench_api.py --mode embedded|service [--tracks 10000] [--requests 400]
[--concurrency 1 2 4]``

Seeds a fresh instance (60 genres in 15 families, 1,000 artists, N tracks of one user each with
a succeeded analysis, all genre and family score rows and a ~4 kB result JSON; every request
carries that user's token, as service mode's private library needs), starts the server that mode
uses (embedded: waitress, 8 threads; service: gunicorn gthread, 2 processes x 8 threads) on
loopback, and runs ``ab -k -c CONCURRENCY -n REQUESTS`` against each list endpoint at each
concurrency. Prints a Markdown table of p50/p99 latency and requests per second per concurrency.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import socket
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from webbench import BACKEND_DIR, Mode, bench_environment, wait_for_server  # noqa: E402

__all__ = ["ENDPOINTS", "main"]

#: The list endpoints measured (query strings use the seeded slugs and ids).
ENDPOINTS = (
    "/api/tracks/",
    "/api/tracks/?ordering=-bpm",
    "/api/tracks/?genre=g03-02&ordering=top_probability",
    "/api/tracks/?family=f03&bpm_min=120&bpm_max=130",
    "/api/tracks/?search=night",
    "/api/tracks/?key=8A&page=2",
    "/api/analyses/",
    "/api/artists/",
    "/api/genres/",
)
FAMILIES = 15
GENRES_PER_FAMILY = 4
ARTISTS = 1000
WORDS = ("night", "drive", "pulse", "echo", "deep", "acid", "storm", "glass", "velvet", "orbit")


def _taxonomy() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    families = [{"slug": f"f{f:02d}", "name": f"Family {f}", "color": "#336699",
                 "description": "Benchmark family."} for f in range(FAMILIES)]
    genres = [{"slug": f"g{f:02d}-{g:02d}", "name": f"Genre {f}.{g}", "family": f"f{f:02d}",
               "modelled": True, "description": "Benchmark genre.", "tempo_bpm": [110, 140],
               "rhythm": "four_on_the_floor", "related": []}
              for f in range(FAMILIES) for g in range(GENRES_PER_FAMILY)]
    return families, genres


def seed(tracks: int) -> str:
    """Fill the database with ``tracks`` analysed tracks of one user (bulk inserts, about a
    minute); that user's API token. Service mode's library is private, so the requests carry
    it; embedded mode reads the same tracks without it."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction

    from accounts.services import api_token_create
    from analyses.models import Analysis, FamilyScore, GenreScore
    from catalog.models import Artist, Family, Genre, Track
    from catalog.services import taxonomy_load

    call_command("migrate", verbosity=0)
    owner = get_user_model().objects.create_user("bench")
    families, genres = _taxonomy()
    taxonomy_load(families=families, genres=genres)
    genre_rows = list(Genre.objects.select_related("family"))
    family_rows = {f.slug: f for f in Family.objects.all()}
    rng = random.Random(440)
    artists = Artist.objects.bulk_create(
        [Artist(name=f"Artist {i}", name_key=f"artist {i}") for i in range(ARTISTS)])
    keys = [(f"{n}{m}", f"{t} {mode}") for n, (t, m, mode) in enumerate(
        [("A", "A", "minor"), ("E", "A", "minor"), ("C", "B", "major")], start=8)]
    batch = 1000
    for start in range(0, tracks, batch):
        with transaction.atomic():
            rows, analyses, scores, fam_scores = [], [], [], []
            for i in range(start, min(start + batch, tracks)):
                weights = [rng.random() ** 4 for _ in genre_rows]
                total = sum(weights)
                probs = sorted(((w / total, g) for w, g in zip(weights, genre_rows, strict=True)),
                               key=lambda pair: -pair[0])
                top_p, top = probs[0]
                camelot, key_name = rng.choice(keys)
                fam_totals: dict[str, float] = {}
                for p, g in probs:
                    fam_totals[g.family.slug] = fam_totals.get(g.family.slug, 0.0) + p
                track = Track(sha256=f"{i:064x}", owner=owner, size_bytes=5_000_000,
                              stored_name=f"bench/{i}.mp3", original_filename=f"{i}.mp3",
                              format="mp3", mime="audio/mpeg", duration_s=300.0,
                              title=f"{rng.choice(WORDS)} {rng.choice(WORDS)} {i}",
                              artist=artists[i % ARTISTS], bpm=round(rng.uniform(80, 175), 1),
                              key_name=key_name, camelot=camelot, top_genre=top,
                              top_probability=top_p, family=family_rows[top.family.slug],
                              unsure=top_p < 0.3)
                result = {"schema_version": "1",
                          "genres": [{"slug": g.slug, "name": g.name, "family": g.family.slug,
                                      "probability": p} for p, g in probs],
                          "timeline": [{"start_s": 30.0 * s, "end_s": 30.0 * s + 30,
                                        "top": top.slug, "genres": {top.slug: top_p},
                                        "bpm": track.bpm} for s in range(10)]}
                analysis = Analysis(track=track, owner=owner, status="succeeded", stage="done", progress=1.0,
                                    attempts=1, model_version="bench", result=result,
                                    is_current=True)
                rows.append(track)
                analyses.append(analysis)
                scores += [GenreScore(analysis=analysis, genre=g, probability=p) for p, g in probs]
                fam_scores += [FamilyScore(analysis=analysis, family=family_rows[slug],
                                           probability=p) for slug, p in fam_totals.items()]
            Track.objects.bulk_create(rows)
            Analysis.objects.bulk_create(analyses)
            GenreScore.objects.bulk_create(scores)
            FamilyScore.objects.bulk_create(fam_scores)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    token = api_token_create(user=owner)
    connection.close()
    return token


def _free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server(mode: Mode, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    if mode == "embedded":
        command = [sys.executable, "-m", "waitress", f"--listen=127.0.0.1:{port}",
                   "--threads=8", "config.wsgi:application"]
    else:
        command = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind",
                   f"127.0.0.1:{port}", "--worker-class", "gthread", "--workers", "2",
                   "--threads", "8", "--log-level", "warning"]
    return subprocess.Popen(command, cwd=BACKEND_DIR, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def _ab(url: str, *, requests: int, concurrency: int, token: str) -> dict[str, float]:
    done = subprocess.run(["ab", "-q", "-k", "-H", f"Authorization: Token {token}",
                           "-n", str(requests), "-c", str(concurrency), url],
                          capture_output=True, text=True, check=True, timeout=600)
    out = done.stdout
    failed = int(re.search(r"Failed requests:\s+(\d+)", out)[1])
    non2xx = re.search(r"Non-2xx responses:\s+(\d+)", out)
    if failed or non2xx:
        raise RuntimeError(f"{url}: {failed} failed, {non2xx[1] if non2xx else 0} non-2xx")
    return {"p50_ms": float(re.search(r"\s50%\s+(\d+)", out)[1]),
            "p99_ms": float(re.search(r"\s99%\s+(\d+)", out)[1]),
            "rps": float(re.search(r"Requests per second:\s+([\d.]+)", out)[1])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("embedded", "service"), default="embedded")
    parser.add_argument("--tracks", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[4],
                        help="clients at once; one table per value")
    args = parser.parse_args()
    if shutil.which("ab") is None:
        sys.exit("bench_api.py needs ApacheBench: apt-get install apache2-utils")
    with bench_environment(args.mode) as env:
        started = time.monotonic()
        token = seed(args.tracks)
        print(f"seeded {args.tracks} tracks in {time.monotonic() - started:.0f} s", flush=True)
        port = _free_port()
        server = _server(args.mode, port, env)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for_server(port)
            for concurrency in args.concurrency:
                print(f"\n{args.mode}: {args.tracks} tracks, ab -k -c {concurrency} "
                      f"-n {args.requests}\n")
                print("| endpoint | p50 ms | p99 ms | req/s |\n|---|---|---|---|")
                for path in ENDPOINTS:
                    _ab(base + path, requests=20, concurrency=2, token=token)  # warm-up
                    stats = _ab(base + path, requests=args.requests, concurrency=concurrency,
                                token=token)
                    print(f"| `{path}` | {stats['p50_ms']:.0f} | {stats['p99_ms']:.0f} | "
                          f"{stats['rps']:.1f} |", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
