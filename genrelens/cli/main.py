"""Entry point of the ``genrelens`` command: builds the parser from the COMMANDS list."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from types import ModuleType

from genrelens import __version__
from genrelens.cli import analyze, dataset, evaluate, images, render, tags, train

__all__ = ["COMMANDS", "build_parser", "main"]

# Each module exposes ``register(subparsers)``; the parser it adds sets ``func=run``.
COMMANDS: list[ModuleType] = [analyze, render, dataset, tags, train, evaluate, images]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="genrelens",
        description="Electronic music genre analysis: breakdown, tempo, key and why.",
    )
    parser.add_argument("--version", action="version", version=f"genrelens {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand and return its exit code (see docs/architecture.md)."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except KeyboardInterrupt:
        print("genrelens: interrupted", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
