"""``manage.py load_genres [--path FILE]``: load the genre taxonomy (idempotent)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.services import taxonomy_load
from genrelens.errors import TaxonomyError
from genrelens.taxonomy import load_taxonomy

__all__ = ["Command"]


class Command(BaseCommand):
    help = "Load families and genres from the taxonomy file; running it again changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--path", type=Path, default=None,
                            help="taxonomy YAML (default: settings.TAXONOMY_PATH)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"] or settings.TAXONOMY_PATH
        try:
            taxonomy = load_taxonomy(path)
        except TaxonomyError as exc:
            raise CommandError(exc.message) from exc
        stats = taxonomy_load(families=[dataclasses.asdict(f) for f in taxonomy.families],
                              genres=[dataclasses.asdict(g) for g in taxonomy.genres])
        self.stdout.write(f"loaded {stats['families']} families and {stats['genres']} genres "
                          f"from {path} ({stats['created']} new, {stats['removed']} removed)")
