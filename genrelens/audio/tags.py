"""A file's own tags (title, artist, album, year, genre), read in a sandboxed child process.

Tags are user input and only a display hint: a file whose tags cannot be read (broken, hostile,
or too large for the child's memory, such as a 150 MB embedded cover) is still analysed, with
empty tags. The parsing itself (mutagen) happens in ``genrelens.audio.tags_worker`` under
``TAGS_MEMORY_LIMIT_BYTES`` and ``TAGS_TIMEOUT_S``, so the process that asks never holds the
tag data.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
from dataclasses import dataclass, fields
from pathlib import Path

from genrelens.audio.sandbox import run_isolated

__all__ = ["TAGS_MEMORY_LIMIT_BYTES", "TAGS_TIMEOUT_S", "TAG_MAX_CHARS", "FileTags", "read_tags"]

logger = logging.getLogger(__name__)

#: Longest tag value kept [characters].
TAG_MAX_CHARS = 512
#: Address space of the tag reader's child [bytes]: Python, mutagen and ordinary tags fit in a
#: fraction of it; a cover image of about a hundred MB does not, and the tags are then empty.
TAGS_MEMORY_LIMIT_BYTES = 256 * 1024**2
#: Seconds the tag reader may take.
TAGS_TIMEOUT_S = 20.0


@dataclass(frozen=True)
class FileTags:
    """Tags found in a file; empty strings and None where absent."""

    title: str = ""
    artist: str = ""
    album: str = ""
    year: int | None = None
    genre: str = ""


def read_tags(path: str | os.PathLike[str], *, timeout_s: float = TAGS_TIMEOUT_S,
              memory_limit: int = TAGS_MEMORY_LIMIT_BYTES) -> FileTags:
    """The tags of ``path`` (ID3, Vorbis comments, MP4, RIFF INFO...); empty if none or unreadable."""
    name = Path(path).name
    try:
        done = run_isolated("genrelens.audio.tags_worker", [str(path)], timeout_s=timeout_s,
                            memory_limit=memory_limit)
    except subprocess.TimeoutExpired:
        logger.info("%s: tags unreadable (took longer than %.0f s)", name, timeout_s)
        return FileTags()
    try:
        found = json.loads(done.stdout.decode().strip().splitlines()[-1])
    except (ValueError, IndexError, UnicodeDecodeError):
        found = None
    if done.returncode != 0 or not isinstance(found, dict):
        reason = "out of memory" if b"MemoryError" in done.stderr else f"exit {done.returncode}"
        logger.info("%s: tags unreadable (%s)", name, reason)
        return FileTags()
    year = found.get("year")
    return FileTags(**{f.name: str(found.get(f.name) or "")[:TAG_MAX_CHARS]
                       for f in fields(FileTags) if f.name != "year"},
                    year=year if isinstance(year, int) else None)
