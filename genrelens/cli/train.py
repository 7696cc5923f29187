"""``genrelens train``: train the genre model on the rendered set or on your own labelled music."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from genrelens.cli.output import EXIT_BAD_INPUT, EXIT_OK, error_line
from genrelens.errors import GenreLensError
from genrelens.model.config import TrainConfig
from genrelens.synth.dataset import DEFAULT_WORKERS
from genrelens.train.rendered import RenderSpec
from genrelens.train.workflow import (
    DEFAULT_CACHE_DIR,
    DEFAULT_WORK_DIR,
    TrainOptions,
    model_train,
)

__all__ = ["register", "run", "add_render_arguments", "render_spec"]

#: Where a trained model goes unless ``--out`` says otherwise.
DEFAULT_OUT = Path("var/models/genre.pt")


def add_render_arguments(parser: argparse.ArgumentParser) -> None:
    """Options that replace a data set by clips rendered in memory."""
    parser.add_argument(
        "--render",
        type=int,
        metavar="PER_GENRE",
        help="render PER_GENRE clips per genre in memory instead of reading a data set",
    )
    parser.add_argument(
        "--render-ood", type=int, default=0, metavar="N", help="held-out-sound clips per genre"
    )
    parser.add_argument("--render-seconds", type=float, default=10.0, metavar="S")
    parser.add_argument("--genres", nargs="+", metavar="SLUG", help="genre or family slugs (default: all)")
    parser.add_argument(
        "--workers",
        type=int,
        default=DEFAULT_WORKERS,
        help=f"processes extracting features in parallel (default {DEFAULT_WORKERS}: both cores)",
    )


def render_spec(args: argparse.Namespace) -> RenderSpec | None:
    """The :class:`RenderSpec` of parsed options, or None without ``--render``."""
    if args.render is None:
        return None
    return RenderSpec(
        per_genre=args.render,
        ood_per_genre=args.render_ood,
        seconds=args.render_seconds,
        genres=tuple(args.genres) if args.genres else None,
    )


def register(subparsers: Any) -> None:
    defaults = TrainConfig()
    parser = subparsers.add_parser(
        "train",
        help="train the genre model (rendered set, or --data DIR|CSV)",
        description=(
            "Train the genre network. Data: the rendered set (datasets/rendered/manifest.csv), "
            "or --data: a folder per genre, a CSV manifest (path,genre[,split]) or the FMA "
            "layout (tracks.csv + audio tree). Labels must be modelled genres, mapped with "
            "--label-map, or your own names with --own-labels. Features are cached; training "
            "resumes from --work-dir. Exit 0 ok, 2 bad input."
        ),
    )
    parser.add_argument("--data", type=Path, help="folder, CSV manifest or FMA root")
    add_render_arguments(parser)
    parser.add_argument("--label-map", type=Path, help="YAML or CSV: your label -> genre slug")
    parser.add_argument("--own-labels", action="store_true", help="keep your own genre names as model labels")
    parser.add_argument("--base", help="fine-tune from a model: 'default' (shipped) or a checkpoint path")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"default {DEFAULT_OUT}")
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK_DIR)
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR)
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    parser.add_argument("--no-resume", action="store_true", help="ignore a saved training state")
    parser.add_argument("--epochs", type=int, default=defaults.epochs)
    parser.add_argument("--stop-after", type=int, help="run at most N epochs now; resume later")
    parser.add_argument("--batch-size", type=int, default=defaults.batch_size)
    parser.add_argument("--lr", type=float, default=defaults.lr)
    parser.add_argument("--patience", type=int, default=defaults.patience)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--threads", type=int, default=defaults.threads)
    parser.add_argument("--embedding", action="store_true", help="add the musicnn embedding branch")
    parser.add_argument("--no-logmel", action="store_true", help="no conv branch (head on summary/embedding)")
    parser.add_argument("--version", dest="model_version", default="0", help="model version")
    parser.add_argument("--report", type=Path, help="write the measured figures as JSON")
    parser.add_argument("--confusion", type=Path, help="write the test confusion matrix PNG")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        opts = TrainOptions(
            out=args.out,
            data=args.data,
            render=render_spec(args),
            label_map=args.label_map,
            own_labels=args.own_labels,
            base=args.base,
            work_dir=args.work_dir,
            cache_dir=None if args.no_cache else args.cache_dir,
            train_config=TrainConfig(
                epochs=args.epochs,
                batch_size=args.batch_size,
                lr=args.lr,
                patience=args.patience,
                seed=args.seed,
                threads=args.threads,
            ),
            with_embedding=args.embedding,
            use_logmel=not args.no_logmel,
            workers=args.workers,
            resume=not args.no_resume,
            stop_after=args.stop_after,
            version=args.model_version,
            report_json=args.report,
            confusion_png=args.confusion,
        )
        summary = model_train(opts)
    except GenreLensError as error:
        print(error_line("train", error), file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"model written to {summary.checkpoint_path} ({len(summary.labels)} labels)")
    for name, rep in summary.reports.items():
        sel = rep.selective
        sure = f"  unsure {sel['flagged']:.0%}, right when sure {sel['accepted_accuracy']:.3f}" if sel else ""
        print(
            f"{name:<14} tracks {rep.n:>5}  accuracy {rep.accuracy:.3f}  top-3 {rep.top3:.3f}  "
            f"macro-F1 {rep.macro_f1:.3f}  ECE {rep.ece:.3f}{sure}"
        )
    if summary.failures:
        print(f"{len(summary.failures)} file(s) could not be read and were skipped", file=sys.stderr)
    print(
        "note: accuracy on rendered audio says little about real recordings."
        if args.data is None or args.render is not None
        else "note: figures are on held-out tracks of your own data."
    )
    return EXIT_OK
