"""``manage.py scan_library DIR... [--jobs N] [--index DIR] [--user NAME] [--queue [--no-wait]]``.

Folders into the library. By default the core scan (``genrelens scan``: incremental, resumable,
this machine's cores) followed by the import of its results as tracks the page shows. With
``--queue`` (service mode) every file becomes an analysis job, as its upload would, and the jobs
fan out over every Celery worker on every host; the command then follows them to the end unless
``--no-wait`` (Ctrl-C stops only the waiting: the jobs are queued and the workers go on).
Failures are listed one line each; the command fails (exit 1) when any file failed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from analyses.models import Analysis
from analyses.selectors import analyses_finished
from analyses.services import analysis_scan_import, analysis_scan_queue
from genrelens.errors import GenreLensError
from genrelens.library.scan import ScanIndex, ScanProgress

__all__ = ["Command"]

#: Seconds between two looks at the queued jobs while waiting for the workers.
POLL_S = 1.0


class Command(BaseCommand):
    help = "Analyse every audio file under the folders (skipping known content) into the library."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dirs", nargs="+", type=Path, metavar="DIR")
        parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: cores)")
        parser.add_argument("--index", type=Path, default=None, help="scan index folder")
        parser.add_argument("--user", help="owner of the new tracks (default: none, as an anonymous upload)")
        parser.add_argument("--queue", action="store_true",
                            help="queue each file as an analysis job for the Celery workers (service mode)")
        parser.add_argument("--no-wait", action="store_true",
                            help="with --queue: return once the jobs are queued")

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

        if options["queue"]:
            self._queue(options, user, progress)
            return
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

    def _queue(self, options: dict[str, Any], user: Any,
               progress: Callable[[ScanProgress], None]) -> None:
        """Queue every file as a job, then follow the jobs until the workers finished them."""
        try:
            queued = analysis_scan_queue(dirs=options["dirs"], user=user, progress=progress)
        except GenreLensError as exc:
            raise CommandError(exc.message) from None
        for failure in queued.failures:
            self.stderr.write(f"{failure.path}: {failure.message} [{failure.code}]")
        ids = set(queued.analyses.values())
        self.stdout.write(f"queued {len(queued.analyses) - queued.reused} files, "
                          f"{queued.reused} already analysed or queued, "
                          f"{len(queued.failures)} refused")
        failed = len(queued.failures)
        if not options["no_wait"]:
            finished = self._wait(ids, progress)
            for path, pk in sorted(queued.analyses.items()):
                status, error = finished[pk]
                if status == Analysis.Status.FAILED:
                    self.stderr.write(f"{path}: {error}")
                    failed += 1
            self.stdout.write(f"analysed {len(ids)} contents, "
                              f"{sum(s == Analysis.Status.FAILED for s, _ in finished.values())} "
                              "failed")
        if failed:
            raise CommandError(f"{failed} files failed")

    def _wait(self, ids: set[str], progress: Callable[[ScanProgress], None]) -> dict[str, tuple[str, str]]:
        earlier = set(analyses_finished(ids))
        started = time.monotonic()
        finished: dict[str, tuple[str, str]] = {}
        try:
            while True:
                finished = analyses_finished(ids)
                fresh = set(finished) - earlier
                progress(ScanProgress(
                    stage="analysing", done=len(fresh), total=len(ids) - len(earlier),
                    failed=sum(finished[pk][0] == Analysis.Status.FAILED for pk in fresh),
                    elapsed_s=time.monotonic() - started))
                if len(finished) == len(ids):
                    return finished
                time.sleep(POLL_S)
        except KeyboardInterrupt:
            raise CommandError(f"stopped waiting; {len(ids) - len(finished)} jobs are still queued "
                               "and the workers go on", returncode=130) from None
