"""``genrelens evaluate``: accuracy, top-3, macro-F1, per-genre P/R, ECE and a confusion PNG.

With ``--real DIR`` it measures on real labelled recordings instead (genrelens.realmusic):
family top-1 per folder, unsure and gate rates, against the shipped model and two baselines.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from genrelens.cli.output import EXIT_BAD_INPUT, EXIT_OK, error_line
from genrelens.cli.train import add_render_arguments, render_spec
from genrelens.errors import GenreLensError
from genrelens.train.workflow import DEFAULT_CACHE_DIR, EvalOptions, model_evaluate

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
    parser.add_argument("--json", type=Path, help="write the report as JSON here ('-': stdout, --real)")
    parser.add_argument("--real", type=Path, metavar="DIR",
                        help="real labelled audio (manifest.csv or <folder>/<label>/ files): "
                             "per-folder family top-1, unsure and gate rates, with baselines")
    parser.add_argument("--every", type=int, default=1, metavar="N",
                        help="--real: evaluate every N-th clip of each folder")
    parser.set_defaults(func=run)


def run_real(args: argparse.Namespace) -> int:
    """``evaluate --real``: per-clip analyses are cached per checkpoint unless --no-cache."""
    from genrelens.realmusic.evaluate import default_cache_root, real_evaluate

    def progress(index: int, total: int, clip: Any) -> None:
        print(f"[{index + 1}/{total}] {clip.path.name}", file=sys.stderr, flush=True)

    try:
        report = real_evaluate(
            args.real,
            model=None if args.model == "default" else args.model,
            cache_root=None if args.no_cache else default_cache_root(),
            every=args.every,
            progress=progress if sys.stderr.isatty() else None,
        )
    except GenreLensError as error:
        print(error_line("evaluate", error), file=sys.stderr)
        return EXIT_BAD_INPUT
    data = json.dumps(report.to_dict(), indent=1)
    if args.json is not None and str(args.json) == "-":
        print(data)
    else:
        print(report.format_text())
        if args.json is not None:
            args.json.write_text(data + "\n", encoding="utf-8")
    for line in report.failures:
        print(line, file=sys.stderr)
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    if args.real is not None:
        return run_real(args)
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
