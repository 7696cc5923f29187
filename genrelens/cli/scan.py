"""``genrelens scan DIR...``: analyse a whole library, incrementally, on every core.

Files already analysed by the installed model are skipped by content hash (a moved or renamed
file too); Ctrl-C stops cleanly and the next run resumes. Exit 0 when every file is done, 3
when some failed, 2 when all failed, 130 when interrupted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from genrelens.cli.output import EXIT_BAD_INPUT, error_line, exit_code
from genrelens.errors import GenreLensError
from genrelens.library.scan import (
    ScanIndex,
    ScanProgress,
    clock,
    default_index_dir,
    scan,
)
from genrelens.model.identity import installed_model_version
from genrelens.pool import default_jobs

__all__ = ["register", "run"]

EXIT_INTERRUPTED = 130


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "scan", help="analyse every audio file under folders (incremental, resumable, all cores)",
        description="Analyse every audio file under the folders, skipping content the installed "
                    "model already analysed. Results are kept in the index folder.",
    )
    parser.add_argument("dirs", nargs="+", type=Path, metavar="DIR")
    parser.add_argument("--jobs", "-j", type=int, default=None,
                        help=f"worker processes (default: one per core, {default_jobs()} here)")
    parser.add_argument("--index", type=Path, default=None, metavar="DIR",
                        help=f"index folder (default {default_index_dir()})")
    parser.add_argument("--force", action="store_true", help="analyse every file again")
    parser.set_defaults(func=run)


class _Status:
    """The progress line: rewritten in place on a terminal, one line per 10 % otherwise."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.shown: tuple[str, int] = ("", -1)

    def __call__(self, state: ScanProgress) -> None:
        if self.tty:
            self.stream.write("\r" + state.line().ljust(72))
            self.stream.flush()
            return
        tenth = state.done * 10 // max(1, state.total)
        if (state.stage, tenth) != self.shown:
            self.shown = (state.stage, tenth)
            print(state.line(), file=self.stream)

    def clear(self) -> None:
        if self.tty:
            self.stream.write("\r" + " " * 72 + "\r")
            self.stream.flush()


def run(args: argparse.Namespace) -> int:
    index = ScanIndex(args.index)
    version = installed_model_version()
    status = _Status(sys.stderr)
    try:
        report = scan(args.dirs, index=index, model_version=version, jobs=args.jobs,
                      force=args.force, progress=status)
    except GenreLensError as exc:
        status.clear()
        print(error_line("scan", exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        status.clear()
        print("genrelens: scan interrupted; run the same command again to resume "
              f"(results so far in {index.root})", file=sys.stderr)
        return EXIT_INTERRUPTED
    status.clear()
    for failure in report.failures:
        print(f"genrelens: {failure.path}: {failure.message} [{failure.code}]", file=sys.stderr)
    rate = report.analysed / report.elapsed_s if report.elapsed_s > 0 else 0.0
    moved = f" ({report.moved} at a new path)" if report.moved else ""
    print(f"scanned {report.total} files in {clock(report.elapsed_s)}: {report.analysed} analysed "
          f"({rate:.1f} files/s), {report.skipped} already analysed{moved}, "
          f"{len(report.failures)} failed; model {version or 'unknown'}; index {index.root}")
    return exit_code(len(report.failures), report.total) if report.total else 0
