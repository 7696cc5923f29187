"""``genrelens evaluate``: accuracy, top-3, macro-F1, per-genre P/R, ECE and a confusion PNG."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from genrelens.cli.output import EXIT_BAD_INPUT, EXIT_OK, error_line
from genrelens.cli.train import add_render_arguments, render_spec
from genrelens.errors import GenreLensError
from genrelens.model.workflow import DEFAULT_CACHE_DIR, EvalOptions, model_evaluate

__all__ = ["register", "run"]

SPLITS = ("train", "val", "test", "ood", "all")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "evaluate",
        help="evaluate a genre model on labelled audio",
        description=(
            "Evaluate a genre model (the shipped one by default) on the rendered set's test "
            "split or on --data (folder per genre, CSV manifest, FMA). Prints track-level "
            "accuracy, top-3, macro-F1, ECE and per-genre precision/recall. Exit 0 ok, 2 bad input."
        ),
    )
    parser.add_argument("--model", default="default", help="'default' or a checkpoint path")
    parser.add_argument("--data", type=Path, help="folder, CSV manifest or FMA root")
    add_render_arguments(parser)
    parser.add_argument("--split", choices=SPLITS, default="test")
    parser.add_argument("--label-map", type=Path, help="YAML or CSV: your label -> model label")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR)
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--confusion", type=Path, help="write the confusion matrix PNG here")
    parser.add_argument("--json", type=Path, help="write the report as JSON here")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        summary = model_evaluate(
            EvalOptions(
                model=args.model,
                data=args.data,
                render=render_spec(args),
                split=args.split,
                label_map=args.label_map,
                cache_dir=None if args.no_cache else args.cache_dir,
                workers=args.workers,
                confusion_png=args.confusion,
                report_json=args.json,
            )
        )
    except GenreLensError as error:
        print(error_line("evaluate", error), file=sys.stderr)
        return EXIT_BAD_INPUT
    print(summary.report.format_text())
    if args.confusion is not None:
        print(f"\nconfusion matrix written to {args.confusion}")
    if summary.failures:
        print(f"{len(summary.failures)} file(s) could not be read and were skipped", file=sys.stderr)
    return EXIT_OK
