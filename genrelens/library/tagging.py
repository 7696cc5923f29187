"""Genre, BPM and key written into a file's own tags (ID3, Vorbis comments, MP4 atoms).

A plan comes first (``tag_plan``: every tag's value before and after), and nothing is written
until the caller applies it (``tag_write``), so the CLI's default is a dry run. Only the tag
block changes: mutagen rewrites ID3 frames, FLAC/Ogg comment packets and MP4 ``ilst`` atoms and
never re-encodes the audio frames (tests check the frames' hash for every format).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import mutagen
from mutagen import MutagenError
from mutagen.id3 import TBPM, TCON, TKEY

from genrelens.errors import InvalidParameterError, UnsupportedMediaError
from genrelens.library.keys import KeyNotation, key_text
from genrelens.result import AnalysisResult

__all__ = ["TAG_FIELDS", "TagField", "TagValues", "TagChange", "TagPlan", "tag_values", "tag_plan",
           "tag_write"]

TagField = Literal["genre", "bpm", "key"]
#: What GenreLens writes, in display order.
TAG_FIELDS: tuple[TagField, ...] = ("genre", "bpm", "key")
TagFamily = Literal["id3", "vorbis", "mp4"]

# Where each field lives in each tag family.
_NAMES: dict[TagFamily, dict[TagField, str]] = {
    "id3": {"genre": "TCON", "bpm": "TBPM", "key": "TKEY"},
    "vorbis": {"genre": "GENRE", "bpm": "BPM", "key": "INITIALKEY"},
    # mutagen reads an old numeric ``gnre`` atom as ``©gen`` and writes it back as ``©gen``.
    "mp4": {"genre": "\xa9gen", "bpm": "tmpo", "key": "----:com.apple.iTunes:initialkey"},
}
# mutagen class name -> tag family. WAVE and AIFF carry an ID3 chunk.
_FAMILIES: dict[str, TagFamily] = {
    "MP3": "id3", "EasyMP3": "id3", "WAVE": "id3", "AIFF": "id3",
    "FLAC": "vorbis", "OggVorbis": "vorbis", "OggOpus": "vorbis", "OggFLAC": "vorbis",
    "MP4": "mp4",
}
_ID3_FRAMES: dict[str, Any] = {"TCON": TCON, "TBPM": TBPM, "TKEY": TKEY}


@dataclass(frozen=True, kw_only=True)
class TagValues:
    """What to write; None leaves that tag as it is."""

    genre: str | None = None
    bpm: float | None = None
    key: str | None = None


@dataclass(frozen=True, kw_only=True)
class TagChange:
    """One tag of one file: its name in the file's tag format, and its text before and after."""

    field: TagField
    tag: str
    before: str | None
    after: str | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True, kw_only=True)
class TagPlan:
    """Every tag GenreLens would touch in ``path``; ``changes`` lists unchanged ones too."""

    path: Path
    family: TagFamily
    changes: tuple[TagChange, ...]

    @property
    def pending(self) -> tuple[TagChange, ...]:
        """The changes that alter the file."""
        return tuple(change for change in self.changes if change.changed)

    def to_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "format": self.family,
                "tags": [{"field": c.field, "tag": c.tag, "before": c.before, "after": c.after,
                          "changed": c.changed} for c in self.changes]}


def tag_values(result: AnalysisResult, *, notation: KeyNotation = "standard") -> TagValues:
    """Genre (top genre's name), BPM and key (in ``notation``) of an analysis; None where absent."""
    genre = result.top[0].name if result.top else (result.genres[0].name if result.genres else None)
    key = result.key
    return TagValues(genre=genre, bpm=result.tempo.bpm,
                     key=key_text(key.tonic, key.mode, notation=notation) if key else None)


def _bpm_text(bpm: float) -> str:
    # ID3 TBPM and MP4 tmpo are integers by their specs; Vorbis BPM follows for one reading.
    return str(round(bpm))


def _open(path: Path) -> tuple[Any, TagFamily]:
    try:
        handle = mutagen.File(path)
    except (MutagenError, OSError, ValueError) as exc:
        raise UnsupportedMediaError(f"{path.name}: tags unreadable ({type(exc).__name__})") from None
    family = _FAMILIES.get(type(handle).__name__) if handle is not None else None
    if family is None:
        kind = type(handle).__name__ if handle is not None else "not audio mutagen reads"
        raise UnsupportedMediaError(f"{path.name}: cannot write tags to this format ({kind})",
                                    extra={"formats": sorted(_FAMILIES)})
    return handle, family


def _read(handle: Any, family: TagFamily, name: str) -> str | None:
    tags = handle.tags
    if tags is None:
        return None
    if family == "id3":
        frame = tags.get(name)
        return str(frame.text[0]) if frame is not None and frame.text else None
    values = tags.get(name) if family == "mp4" else tags.get(name.lower())
    if not values:
        return None
    value = values[0]
    if isinstance(value, bytes):  # MP4 freeform atoms hold bytes
        return value.decode("utf-8", errors="replace")
    return str(value)


def tag_plan(path: str | os.PathLike[str], values: TagValues) -> TagPlan:
    """What writing ``values`` into ``path`` would change, tag by tag (nothing is written).

    Raises
    ------
    FileNotFoundError
        No such file.
    UnsupportedMediaError
        The file is not MP3, WAV, AIFF, FLAC, Ogg (Vorbis, Opus, FLAC) or MP4/M4A.
    InvalidParameterError
        A BPM that is not positive.
    """
    source = Path(path)
    if not source.is_file():
        raise FileNotFoundError(source)
    if values.bpm is not None and not values.bpm > 0:
        raise InvalidParameterError(f"bpm must be positive, got {values.bpm}")
    handle, family = _open(source)
    wanted: dict[TagField, str | None] = {
        "genre": values.genre, "bpm": _bpm_text(values.bpm) if values.bpm is not None else None,
        "key": values.key}
    changes = []
    for field_name in TAG_FIELDS:
        name = _NAMES[family][field_name]
        before = _read(handle, family, name)
        after = wanted[field_name]
        changes.append(TagChange(field=field_name, tag=name, before=before,
                                 after=before if after is None else after))
    return TagPlan(path=source, family=family, changes=tuple(changes))


def tag_write(plan: TagPlan) -> int:
    """Apply ``plan``'s pending changes to its file; returns how many tags changed.

    ID3 tags keep their version (v2.3 stays v2.3, which older players need); a file without
    tags gets ID3v2.4. Writing the same plan twice changes nothing the second time.
    """
    pending = plan.pending
    if not pending:
        return 0
    if plan.family == "id3":
        _write_id3(plan.path, pending)
        return len(pending)
    handle, family = _open(plan.path)
    if handle.tags is None:
        handle.add_tags()
    tags = handle.tags
    for change in pending:
        if change.after is None:
            tags.pop(change.tag, None)
        elif family == "mp4":
            tags[change.tag] = _mp4_value(change)
        else:
            tags[change.tag] = [change.after]
    handle.save()
    return len(pending)


def _mp4_value(change: TagChange) -> list[Any]:
    assert change.after is not None
    if change.field == "bpm":
        return [int(change.after)]
    if change.tag.startswith("----:"):
        return [change.after.encode("utf-8")]  # mutagen stores bytes as a UTF-8 freeform atom
    return [change.after]


def _write_id3(path: Path, pending: tuple[TagChange, ...]) -> None:
    handle, _ = _open(path)
    if handle.tags is None:
        handle.add_tags()
        version = 4
    else:
        version = 3 if handle.tags.version[1] == 3 else 4
    tags: Any = handle.tags
    for change in pending:
        tags.delall(change.tag)
        if change.after is not None:
            # UTF-8 exists only in ID3v2.4; v2.3 takes UTF-16.
            tags.add(_ID3_FRAMES[change.tag](encoding=3 if version == 4 else 1, text=[change.after]))
    handle.save(v2_version=version)
