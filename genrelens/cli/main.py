"""Entry point of the ``genrelens`` command: builds the parser from the COMMANDS list.

Only the module of the subcommand being run is imported (all of them for ``--help`` or an
unknown command), so ``genrelens analyze`` never loads the training code or torch.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import Any

from genrelens import __version__
from genrelens.cli.output import EXIT_BAD_INPUT
from genrelens.runtime import single_threaded_libraries

__all__ = ["COMMANDS", "build_parser", "main"]

# Each subcommand is the module of genrelens.cli of that name; it exposes
# ``register(subparsers)``, and the parser it adds sets ``func=run``.
COMMANDS = ("analyze", "genres", "scan", "similar", "label", "tag", "render", "dataset", "tags",
            "train", "evaluate", "images")
#: Commands that analyse audio: their libraries run single-threaded
#: (``genrelens.runtime.single_threaded_libraries``), set before any of them imports numpy.
ANALYSING = ("analyze", "scan", "tag", "similar", "label")
#: Packages of the ``train`` extra: a command needing them is listed, and says so, without them.
TRAIN_EXTRA = ("torch", "onnx")


def _register_unavailable(subparsers: Any, name: str, missing: str) -> None:
    """A stand-in for a command whose dependencies are not installed."""
    message = f"genrelens: {name}: needs {missing} (pip install 'genrelens[train]') [missing_dependency]"

    def run(args: argparse.Namespace) -> int:
        print(message, file=sys.stderr)
        return EXIT_BAD_INPUT

    # No option prefix: whatever options follow are taken as the ignored "rest".
    parser = subparsers.add_parser(name, help=f"(needs the train extra: {missing} is not installed)",
                                   add_help=False, prefix_chars="\x00")
    parser.add_argument("rest", nargs="*")
    parser.set_defaults(func=run)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every subcommand, or of subcommand ``only`` alone."""
    parser = argparse.ArgumentParser(
        prog="genrelens",
        description="Electronic music genre analysis: breakdown, tempo, key and why.",
    )
    parser.add_argument("--version", action="version", version=f"genrelens {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        if only is None or name == only:
            try:
                module = importlib.import_module(f"genrelens.cli.{name}")
            except ModuleNotFoundError as exc:
                if exc.name not in TRAIN_EXTRA:
                    raise
                _register_unavailable(subparsers, name, exc.name)
                continue
            module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand and return its exit code (see docs/architecture.md)."""
    args_in = list(sys.argv[1:] if argv is None else argv)
    first = args_in[0] if args_in else None
    if first in ANALYSING:
        single_threaded_libraries()
    args = build_parser(first if first in COMMANDS else None).parse_args(args_in)
    try:
        code: int = args.func(args)
    except KeyboardInterrupt:
        print("genrelens: interrupted", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
