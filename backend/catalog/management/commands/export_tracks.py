"""``manage.py export_tracks [--format csv|rekordbox] [--out FILE] [--user NAME] [filters]``.

The same rows as ``GET /api/tracks/export/`` (the track list's selector). Without ``--user`` the
shell's operator exports every track, as staff would; with it, what that user may read.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.selectors import TRACK_ORDERINGS, TrackFilters, track_export_rows
from genrelens.library.export import EXPORT_FORMATS, export_text

__all__ = ["Command"]

# Whoever runs manage.py can read the database anyway: they export as staff would.
_OPERATOR = SimpleNamespace(is_authenticated=True, is_staff=True)


class Command(BaseCommand):
    help = "Write the library (or the tracks matching the filters) as CSV or rekordbox XML."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=EXPORT_FORMATS, default=EXPORT_FORMATS[0])
        parser.add_argument("--out", type=Path, help="file to write (default: standard output)")
        parser.add_argument("--user", help="export only what this user may read")
        parser.add_argument("--genre", default="", help="genre slug (top genre or a real share)")
        parser.add_argument("--family", default="", help="family slug")
        parser.add_argument("--bpm-min", type=float)
        parser.add_argument("--bpm-max", type=float)
        parser.add_argument("--key", default="", help="Camelot code, e.g. 8A")
        parser.add_argument("--search", default="")
        parser.add_argument("--ordering", choices=list(TRACK_ORDERINGS), default="title")

    def handle(self, *args: Any, **options: Any) -> None:
        user: Any = _OPERATOR
        if options["user"]:
            try:
                user = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist:
                raise CommandError(f"no user {options['user']!r}") from None
        filters = TrackFilters(search=options["search"], genre=options["genre"],
                               family=options["family"], bpm_min=options["bpm_min"],
                               bpm_max=options["bpm_max"], key=options["key"].upper(),
                               ordering=options["ordering"])
        rows = list(track_export_rows(filters, user=user))
        text = export_text(rows, fmt=options["format"])
        if options["out"] is None:
            self.stdout.write(text, ending="")
            return
        try:
            options["out"].write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"{options['out']}: cannot write ({exc.strerror})") from None
        self.stderr.write(f"wrote {len(rows)} tracks to {options['out']}")
