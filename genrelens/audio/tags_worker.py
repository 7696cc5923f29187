"""Child-process tag reader: ``python -m genrelens.audio.tags_worker FILE`` prints one JSON line.

The parent (``genrelens.audio.tags.read_tags``) runs it under a memory and a time limit. Exit 0
with ``{"title", "artist", "album", "year", "genre"}`` (empty where absent), 2 when mutagen
cannot read the file's tags.
"""

from __future__ import annotations

import json
import re
import sys

import mutagen
from mutagen import MutagenError

__all__ = ["main"]

_YEAR_RE = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
#: ID3 frames of the easy keys: WAVE and AIFF files carry plain ID3, which has no easy view.
_ID3_FRAMES = {"title": "TIT2", "artist": "TPE1", "album": "TALB", "date": "TDRC",
               "year": "TYER", "genre": "TCON"}


def _first(tags: object, key: str) -> str:
    for name in (key, _ID3_FRAMES.get(key)):
        try:
            values = tags[name]  # type: ignore[index]
        except (KeyError, ValueError, TypeError):
            continue
        values = getattr(values, "text", values)
        value = values[0] if isinstance(values, list) and values else values
        text = str(value) if value else ""
        return "".join(c for c in text if c.isprintable()).strip()
    return ""


def main(argv: list[str]) -> int:
    try:
        handle = mutagen.File(argv[0], easy=True)
    except (MutagenError, OSError, ValueError, KeyError, IndexError, TypeError):
        return 2
    tags = handle.tags if handle is not None else None
    if tags is None:
        print(json.dumps({}))
        return 0
    year = _YEAR_RE.search(_first(tags, "date") or _first(tags, "year"))
    print(json.dumps({"title": _first(tags, "title"), "artist": _first(tags, "artist"),
                      "album": _first(tags, "album"), "genre": _first(tags, "genre"),
                      "year": int(year.group(1)) if year else None}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
