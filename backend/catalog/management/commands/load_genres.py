"""``manage.py load_genres [--path FILE]``: load the genre taxonomy (idempotent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.services import taxonomy_load

__all__ = ["Command"]


class Command(BaseCommand):
    help = "Load families and genres from the taxonomy file; running it again changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--path", type=Path, default=None,
                            help="taxonomy YAML (default: settings.TAXONOMY_PATH)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"] or settings.TAXONOMY_PATH
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise CommandError(f"{path}: cannot read the taxonomy ({exc})") from exc
        if not isinstance(data, dict) or not isinstance(data.get("families"), list) \
                or not isinstance(data.get("genres"), list):
            raise CommandError(f"{path}: expected a mapping with 'families' and 'genres' lists")
        stats = taxonomy_load(families=data["families"], genres=data["genres"])
        self.stdout.write(f"loaded {stats['families']} families and {stats['genres']} genres "
                          f"from {path} ({stats['created']} created, {stats['removed']} removed)")
