"""Real labelled clips: a ``manifest.csv`` (``file,label,family[,source_set,group]``) or folders.

The real-music development set (``../shared/realdev``, see its README) has a manifest; any other
folder laid out as ``<folder>/<label>/<file>`` is read too, with the label as the family when it
is a GenreLens family or genre slug. A clip's ``group`` (source track or artist) is what every
fitted figure is cross-validated by: excerpts of one track are not independent.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from genrelens.datasets.sources import AUDIO_EXTENSIONS
from genrelens.errors import DatasetError
from genrelens.taxonomy.schema import FAMILY_SLUGS, MODELLED_GENRES

__all__ = ["MANIFEST", "ELECTRONIC", "NOT_ELECTRONIC", "RealClip", "read_clips"]

#: Manifest file name inside a real-music folder.
MANIFEST = "manifest.csv"
#: Family labels of clips that are only known to be (or not to be) electronic music.
ELECTRONIC = "electronic"
NOT_ELECTRONIC = "not-electronic"
_REQUIRED = ("file", "label", "family")


@dataclass(frozen=True, kw_only=True)
class RealClip:
    """One labelled real recording.

    ``family`` is a GenreLens family slug, or :data:`ELECTRONIC` / :data:`NOT_ELECTRONIC`;
    ``folder`` is the first path component under the root (what the report groups by).
    """

    path: Path
    label: str
    family: str
    folder: str
    group: str

    @property
    def has_family(self) -> bool:
        """True when the label names a GenreLens family (not only electronic or not)."""
        return self.family in FAMILY_SLUGS


def _family(label: str) -> str:
    if label in FAMILY_SLUGS or label in (ELECTRONIC, NOT_ELECTRONIC):
        return label
    if label in MODELLED_GENRES:
        return MODELLED_GENRES[label]
    raise DatasetError(
        f"label {label!r} is neither a GenreLens family or genre nor electronic/not-electronic",
        extra={"label": label},
    )


def _from_manifest(root: Path) -> list[RealClip]:
    with (root / MANIFEST).open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in _REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise DatasetError(f"{root / MANIFEST} lacks column(s) {', '.join(missing)}")
        rows = list(reader)
    clips = []
    for row in rows:
        path = root / row["file"]
        if not path.is_file():
            raise DatasetError(f"manifest names a missing file: {row['file']}", extra={"file": row["file"]})
        family = row["family"] or _family(row["label"])
        if family not in FAMILY_SLUGS and family not in (ELECTRONIC, NOT_ELECTRONIC):
            raise DatasetError(f"unknown family {family!r} for {row['file']}", extra={"family": family})
        parts = Path(row["file"]).parts
        clips.append(RealClip(path=path, label=row["label"], family=family,
                              folder=parts[0] if len(parts) > 1 else root.name,
                              group=row.get("group") or row["file"]))
    return clips


def _from_folders(root: Path) -> list[RealClip]:
    clips = []
    for path in sorted(root.rglob("*")):
        if path.suffix.lower() not in AUDIO_EXTENSIONS or not path.is_file():
            continue
        rel = path.relative_to(root)
        if len(rel.parts) < 2:
            continue
        label = rel.parts[-2]
        clips.append(RealClip(path=path, label=label, family=_family(label),
                              folder=rel.parts[0] if len(rel.parts) > 2 else root.name,
                              group=str(rel)))
    return clips


def read_clips(root: str | Path, *, every: int = 1) -> list[RealClip]:
    """The labelled clips under ``root``, in manifest (or sorted path) order.

    Parameters
    ----------
    root : path
        A folder with :data:`MANIFEST`, or with ``<folder>/<label>/<audio>`` (or ``<label>/<audio>``).
    every : int
        Keep every ``every``-th clip of each folder (quick runs while developing).

    Raises
    ------
    DatasetError
        The folder is missing, holds no labelled audio, or a label is unknown.
    """
    base = Path(root)
    if not base.is_dir():
        raise DatasetError(f"no real-music folder at {base}", extra={"path": str(base)})
    if every < 1:
        raise DatasetError(f"--every must be at least 1, got {every}")
    clips = _from_manifest(base) if (base / MANIFEST).is_file() else _from_folders(base)
    if not clips:
        raise DatasetError(f"no labelled audio under {base}", extra={"path": str(base)})
    kept: list[RealClip] = []
    seen: dict[str, int] = {}
    for clip in clips:
        index = seen.get(clip.folder, 0)
        seen[clip.folder] = index + 1
        if index % every == 0:
            kept.append(clip)
    return kept
