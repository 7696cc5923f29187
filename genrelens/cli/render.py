"""``genrelens render``: render clips of one genre (or family) with the procedural renderer."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from genrelens.errors import GenreLensError
from genrelens.synth.dataset import DEFAULT_WORKERS, build, plan_render_jobs
from genrelens.synth.variation import VARIANTS

__all__ = ["register", "run"]

#: Default clip length of ``genrelens render`` [seconds].
DEFAULT_RENDER_SECONDS = 30.0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "render", help="render synthetic clips of a genre with the procedural renderer",
        description="Render COUNT clips of a modelled genre (or every genre of a family, in "
                    "turn) into OUT, with a manifest.csv (path, genre, seed, split, tempo_bpm, "
                    "key, variant). Existing clips are kept, so an interrupted run resumes.")
    parser.add_argument("--genre", required=True, action="append",
                        help="modelled genre slug or family slug (repeatable)")
    parser.add_argument("--count", type=int, default=10, help="clips to render (default 10)")
    parser.add_argument("--seconds", type=float, default=DEFAULT_RENDER_SECONDS,
                        help=f"clip length in seconds (default {DEFAULT_RENDER_SECONDS:g})")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--seed-start", type=int, default=0, help="first seed (default 0)")
    parser.add_argument("--variant", choices=VARIANTS, default="train",
                        help="train sounds, or held-out kits and presets (ood)")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS,
                        help=f"parallel processes (default {DEFAULT_WORKERS})")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        jobs = plan_render_jobs(args.genre, count=args.count, seconds=args.seconds,
                                seed_start=args.seed_start, variant=args.variant)
        report = build(jobs, args.out, workers=args.workers,
                       progress=None if args.quiet else sys.stderr)
    except GenreLensError as exc:
        print(f"genrelens: render: {exc.message} [{exc.code}]", file=sys.stderr)
        return 2
    print(f"{report.rendered} rendered, {report.skipped} already present, "
          f"manifest {report.manifest} ({report.seconds:.1f} s)")
    return 0
