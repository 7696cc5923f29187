"""``genrelens tags FILE``: musicnn's top real-music tags over time and for the whole track."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from genrelens.backbone.embed import PATCH_SECONDS, BackboneOutput
from genrelens.backbone.files import analyze_file
from genrelens.backbone.frontend import HOP_LENGTH, SAMPLE_RATE
from genrelens.backbone.gate import electronic_score
from genrelens.cli.output import EXIT_BAD_INPUT, EXIT_OK, error_line
from genrelens.errors import GenreLensError, InvalidParameterError

__all__ = ["register", "run"]

#: Tags shown per row by default.
TOP = 5


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "tags",
        help="musicnn's top real-music tags over time (MSD or MagnaTagATune tags)",
        description="Print musicnn's top tags per 3-second patch and for the whole track.",
    )
    parser.add_argument("file", help="audio file (WAV, FLAC, OGG, MP3, ...)")
    parser.add_argument(
        "--model",
        choices=("msd", "mtt"),
        default="msd",
        help="msd: Million Song Dataset tags (genres, eras); mtt: MagnaTagATune (instruments)",
    )
    parser.add_argument("--top", type=int, default=TOP, help=f"tags per row (default {TOP})")
    parser.add_argument(
        "--every",
        type=float,
        default=PATCH_SECONDS,
        metavar="SECONDS",
        help="seconds between rows; each row tags 3 s (default: back-to-back patches)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.set_defaults(func=run)


def _row(out: BackboneOutput, index: int | None, top: int) -> list[dict[str, Any]]:
    probs = out.probabilities.mean(axis=0) if index is None else out.probabilities[index]
    order = probs.argsort()[::-1][:top]
    return [{"tag": out.labels[i], "probability": round(float(probs[i]), 4)} for i in order]


def _format(tags: list[dict[str, Any]]) -> str:
    return "  ".join(f"{t['tag']} {t['probability']:.2f}" for t in tags)


def _clock(seconds: float) -> str:
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}"


def run(args: argparse.Namespace) -> int:
    try:
        if args.top < 1:
            raise InvalidParameterError(f"--top must be at least 1, got {args.top}")
        if not args.every > 0:
            raise InvalidParameterError(f"--every must be positive, got {args.every}")
        hop_frames = max(1, round(args.every * SAMPLE_RATE / HOP_LENGTH))
        out = analyze_file(args.file, model=args.model, hop_frames=hop_frames)
    except GenreLensError as exc:
        print(error_line(Path(args.file).name, exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    score = float(electronic_score(out.summary().probabilities, model=out.model))
    rows = [(float(start), _row(out, i, args.top)) for i, start in enumerate(out.starts_s)]
    track = _row(out, None, args.top)
    if args.json:
        payload = {
            "file": args.file,
            "model": out.model,
            "patch_seconds": round(PATCH_SECONDS, 3),
            "timeline": [
                {"start_s": round(start, 3), "end_s": round(start + PATCH_SECONDS, 3), "tags": tags}
                for start, tags in rows
            ],
            "track": track,
            "electronic_score": round(score, 4),
        }
        print(json.dumps(payload, indent=2))
        return EXIT_OK
    name = "Million Song Dataset" if out.model == "msd" else "MagnaTagATune"
    print(f"{args.file}: musicnn {name} tags, {out.n_patches} patches of 3 s")
    for start, tags in rows:
        print(f"  {_clock(start)}  {_format(tags)}")
    print(f"  track   {_format(track)}")
    print(f"  electronic score ({out.model} tags): {score:.2f}")
    return EXIT_OK
