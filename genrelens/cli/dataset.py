"""``genrelens dataset build``: render the default training set (resumable, parallel)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from genrelens.errors import GenreLensError
from genrelens.synth.dataset import (
    DEFAULT_OOD_PER_GENRE,
    DEFAULT_OUT,
    DEFAULT_PER_GENRE,
    DEFAULT_SECONDS,
    DEFAULT_WORKERS,
    build,
    plan_default_jobs,
)
from genrelens.synth.grammars import GENRES

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "dataset", help="build the rendered training set",
        description="Data set commands. `dataset build` renders the default set: per genre, "
                    f"{DEFAULT_PER_GENRE} clips split 80/10/10 by seed plus "
                    f"{DEFAULT_OOD_PER_GENRE} held-out-sound (ood) test clips. Run it again "
                    "after an interruption to resume.")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    b = actions.add_parser("build", help="render the default set (resumable)")
    b.add_argument("--out", type=Path, default=DEFAULT_OUT,
                   help=f"output folder (default {DEFAULT_OUT})")
    b.add_argument("--per-genre", type=int, default=DEFAULT_PER_GENRE,
                   help=f"training-variant clips per genre (default {DEFAULT_PER_GENRE})")
    b.add_argument("--ood-per-genre", type=int, default=DEFAULT_OOD_PER_GENRE,
                   help=f"held-out-sound clips per genre (default {DEFAULT_OOD_PER_GENRE})")
    b.add_argument("--seconds", type=float, default=DEFAULT_SECONDS,
                   help=f"clip length (default {DEFAULT_SECONDS:g} s)")
    b.add_argument("--genres", nargs="+", default=list(GENRES),
                   help="genre or family slugs (default: all 52 modelled genres)")
    b.add_argument("--workers", type=int, default=DEFAULT_WORKERS,
                   help=f"parallel processes (default {DEFAULT_WORKERS})")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    b.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        jobs = plan_default_jobs(genres=args.genres, per_genre=args.per_genre,
                                 ood_per_genre=args.ood_per_genre, seconds=args.seconds)
        report = build(jobs, args.out, workers=args.workers,
                       progress=None if args.quiet else sys.stderr)
    except GenreLensError as exc:
        print(f"genrelens: dataset: {exc.message} [{exc.code}]", file=sys.stderr)
        return 2
    print(f"{report.planned} clips planned: {report.rendered} rendered, {report.skipped} "
          f"already present; manifest {report.manifest} ({report.seconds:.1f} s)")
    return 0
