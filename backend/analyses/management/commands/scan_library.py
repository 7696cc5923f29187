"""``manage.py scan_library DIR... [--jobs N] [--index DIR] [--user NAME]``: folders into the library.

The core scan (``genrelens scan``: incremental, resumable, every core) followed by the import of
its results as tracks the page shows. Failures are listed one line each; the command fails
(exit 1) when any file failed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from analyses.services import analysis_scan_import
from genrelens.errors import GenreLensError
from genrelens.library.scan import ScanIndex, ScanProgress

__all__ = ["Command"]


class Command(BaseCommand):
    help = "Analyse every audio file under the folders (skipping known content) into the library."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dirs", nargs="+", type=Path, metavar="DIR")
        parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: cores)")
        parser.add_argument("--index", type=Path, default=None, help="scan index folder")
        parser.add_argument("--user", help="owner of the new tracks (default: none, as an anonymous upload)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = None
        if options["user"]:
            try:
                user = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist:
                raise CommandError(f"no user {options['user']!r}") from None
        shown: set[tuple[str, int]] = set()

        def progress(state: ScanProgress) -> None:
            tenth = (state.stage, state.done * 10 // max(1, state.total))
            if tenth not in shown:
                shown.add(tenth)
                self.stderr.write(state.line())

        try:
            done = analysis_scan_import(dirs=options["dirs"], user=user, jobs=options["jobs"],
                                        index=ScanIndex(options["index"]), progress=progress)
        except GenreLensError as exc:
            raise CommandError(exc.message) from None
        failures = (*done.report.failures, *done.failures)
        for failure in failures:
            self.stderr.write(f"{failure.path}: {failure.message} [{failure.code}]")
        self.stdout.write(f"scanned {done.report.total} files: {done.report.analysed} analysed, "
                          f"{done.report.skipped} already analysed; {done.imported} new in the "
                          f"library, {done.reused} already there, {len(failures)} failed")
        if failures:
            raise CommandError(f"{len(failures)} files failed")
