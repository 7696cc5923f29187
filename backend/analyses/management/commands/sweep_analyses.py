"""``manage.py sweep_analyses [--loop SECONDS]``: re-queue lost jobs, publish pending ones, and
remove orphan stored files and stale temporary files."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from analyses.jobs import analysis_sweep
from catalog.sweep import storage_sweep

__all__ = ["Command"]


class Command(BaseCommand):
    help = ("Re-queue jobs whose worker died and publish jobs the broker never got; celery beat "
            "runs the same sweep every GENRELENS_SWEEP_INTERVAL_S. Also removes orphan stored files "
            "and stale temporary files (hourly in beat).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", type=float, default=0.0, metavar="SECONDS",
                            help="repeat every SECONDS until interrupted (default: once)")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            self.stdout.write(str(analysis_sweep()))
            self.stdout.write(str(storage_sweep()))
            if options["loop"] <= 0:
                return
            time.sleep(options["loop"])
