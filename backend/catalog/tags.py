"""Read a file's own tags (title, artist, album, year, genre) with mutagen, never failing."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

import mutagen
from mutagen import MutagenError

__all__ = ["TAG_MAX_CHARS", "FileTags", "tags_read"]

logger = logging.getLogger(__name__)

#: Longest tag value kept [characters]; tags are user input.
TAG_MAX_CHARS = 512
_YEAR_RE = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")


@dataclass(frozen=True)
class FileTags:
    """Tags found in a file; empty strings and None where absent."""

    title: str = ""
    artist: str = ""
    album: str = ""
    year: int | None = None
    genre: str = ""


def _first(tags: object, key: str) -> str:
    try:
        values = tags[key]  # type: ignore[index]
    except (KeyError, ValueError, TypeError):
        return ""
    value = values[0] if isinstance(values, list) and values else values
    text = str(value) if value else ""
    return "".join(c for c in text if c.isprintable()).strip()[:TAG_MAX_CHARS]


def tags_read(path: Path) -> FileTags:
    """The tags of ``path`` (ID3, Vorbis comments, MP4, RIFF INFO...); empty if none or unreadable.

    Tags are only a display hint: a file whose tags mutagen cannot parse is still analysed.
    """
    try:
        handle = mutagen.File(path, easy=True)
    except (MutagenError, OSError, ValueError, KeyError, IndexError, TypeError) as exc:
        logger.info("%s: tags unreadable (%s)", path.name, type(exc).__name__)
        return FileTags()
    if handle is None or handle.tags is None:
        return FileTags()
    tags = handle.tags
    year_match = _YEAR_RE.search(_first(tags, "date") or _first(tags, "year"))
    return FileTags(
        title=_first(tags, "title"),
        artist=_first(tags, "artist"),
        album=_first(tags, "album"),
        year=int(year_match.group(1)) if year_match else None,
        genre=_first(tags, "genre"),
    )
