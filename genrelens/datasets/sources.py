"""Labelled audio sources: folder per genre, CSV manifest (rendered set included), FMA layout."""

from __future__ import annotations

import csv
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from genrelens.datasets.labels import LabelResolver
from genrelens.errors import DatasetError, InvalidParameterError

__all__ = [
    "AUDIO_EXTENSIONS",
    "SourceKind",
    "LabeledTrack",
    "LabeledDataset",
    "folder_dataset",
    "csv_dataset",
    "fma_dataset",
    "load_dataset",
    "assign_splits",
]

#: File endings read as audio when scanning folders.
AUDIO_EXTENSIONS = frozenset({".wav", ".flac", ".mp3", ".ogg", ".opus", ".m4a", ".aiff", ".aif"})
#: FMA's split names -> ours.
FMA_SPLITS = {"training": "train", "validation": "val", "test": "test"}
#: Missing manifest paths quoted in an error message.
MAX_QUOTED = 3

SourceKind = Literal["folder", "csv", "fma", "rendered"]


@dataclass(frozen=True)
class LabeledTrack:
    """One audio file with its label.

    Parameters
    ----------
    path : Path
    label : str
        Resolved model label.
    source_label : str
        The label as the data set wrote it.
    split : str or None
        ``train``, ``val``, ``test`` (or another name the source uses); None until assigned.
    seed : int or None
        Render seed (rendered set only).
    variant : str or None
        Render variant (``train`` or ``ood``; rendered set only).
    """

    path: Path
    label: str
    source_label: str
    split: str | None = None
    seed: int | None = None
    variant: str | None = None


@dataclass(frozen=True)
class LabeledDataset:
    """Tracks of one source, plus what was left out and why."""

    tracks: list[LabeledTrack]
    kind: SourceKind
    skipped: int = 0
    missing: int = 0

    @property
    def labels(self) -> list[str]:
        """Distinct labels, sorted."""
        return sorted({t.label for t in self.tracks})


def _audio_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in AUDIO_EXTENSIONS)


def folder_dataset(root: str | os.PathLike[str], *, resolver: LabelResolver) -> LabeledDataset:
    """A folder per genre: ``root/<genre>/**/<file>.<audio ext>``.

    Parameters
    ----------
    root : path-like
    resolver : LabelResolver
        Maps the folder names to model labels.

    Raises
    ------
    DatasetError
        Not a folder, or no audio in any genre folder.
    UnknownLabelError
        Folder names that are not modelled genres and not mapped.
    """
    base = Path(root)
    if not base.is_dir():
        raise DatasetError(f"{base}: not a folder", extra={"path": str(base)})
    folders = sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith("."))
    files = {d.name: _audio_files(d) for d in folders}
    files = {name: fs for name, fs in files.items() if fs}
    if not files:
        raise DatasetError(
            f"{base}: no audio found; expected one folder per genre with audio files inside",
            extra={"path": str(base)},
        )
    names = sorted(files)
    resolved = resolver.resolve_all(names, source=str(base))
    tracks: list[LabeledTrack] = []
    skipped = 0
    for name, label in zip(names, resolved, strict=True):
        if label is None:
            skipped += len(files[name])
            continue
        tracks += [LabeledTrack(path=f, label=label, source_label=name) for f in files[name]]
    return LabeledDataset(tracks=tracks, kind="folder", skipped=skipped)


def _optional_int(value: str | None, *, where: str) -> int | None:
    if value is None or value.strip() == "":
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise DatasetError(f"{where}: seed {value!r} is not an integer") from exc


def csv_dataset(path: str | os.PathLike[str], *, resolver: LabelResolver) -> LabeledDataset:
    """A CSV manifest with columns ``path`` and ``genre`` (or ``label``).

    Optional columns ``split``, ``seed`` and ``variant`` are kept (the rendered set's manifest
    has them). Relative paths are relative to the CSV's folder.

    Raises
    ------
    DatasetError
        Missing file or columns, empty manifest, or listed audio files that do not exist.
    UnknownLabelError
        Labels that are not modelled genres and not mapped.
    """
    p = Path(path)
    if not p.is_file():
        raise DatasetError(f"{p}: manifest not found", extra={"path": str(p)})
    try:
        with p.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            fields = [f.strip().lower() for f in reader.fieldnames or []]
            rows = [{k.strip().lower(): (v or "") for k, v in r.items() if k} for r in reader]
    except (UnicodeDecodeError, csv.Error) as exc:
        raise DatasetError(f"{p.name}: cannot read CSV ({type(exc).__name__})") from exc
    label_col = "genre" if "genre" in fields else "label" if "label" in fields else None
    if "path" not in fields or label_col is None:
        raise DatasetError(
            f"{p.name}: a manifest needs the columns 'path' and 'genre'; found {fields}",
            extra={"columns": fields},
        )
    rows = [r for r in rows if r.get("path", "").strip()]
    if not rows:
        raise DatasetError(f"{p.name}: the manifest lists no tracks")
    resolved = resolver.resolve_all([r[label_col] for r in rows], source=p.name)
    tracks: list[LabeledTrack] = []
    missing: list[str] = []
    skipped = 0
    for i, (row, label) in enumerate(zip(rows, resolved, strict=True), start=2):
        if label is None:
            skipped += 1
            continue
        audio = Path(row["path"].strip())
        audio = audio if audio.is_absolute() else p.parent / audio
        if not audio.is_file():
            missing.append(row["path"])
            continue
        tracks.append(
            LabeledTrack(
                path=audio,
                label=label,
                source_label=row[label_col],
                split=row.get("split", "").strip() or None,
                seed=_optional_int(row.get("seed"), where=f"{p.name} line {i}"),
                variant=row.get("variant", "").strip() or None,
            )
        )
    if missing:
        raise DatasetError(
            f"{p.name}: {len(missing)} listed file(s) do not exist, e.g. " + ", ".join(missing[:MAX_QUOTED]),
            extra={"missing": missing[:100]},
        )
    return LabeledDataset(tracks=tracks, kind="csv", skipped=skipped)


def _fma_paths(root: Path) -> tuple[Path, Path]:
    meta = next(
        (c for c in (root / "tracks.csv", root / "fma_metadata" / "tracks.csv") if c.is_file()),
        None,
    )
    if meta is None:
        raise DatasetError(f"{root}: no tracks.csv (FMA metadata) found", extra={"path": str(root)})

    def has_tree(d: Path) -> bool:
        return any(c.is_dir() and c.name.isdigit() and len(c.name) == 3 for c in d.iterdir())

    candidates = [root] + sorted(d for d in root.iterdir() if d.is_dir() and d.name.startswith("fma_"))
    audio_root = next((d for d in candidates if has_tree(d)), None)
    if audio_root is None:
        raise DatasetError(
            f"{root}: no FMA audio tree (folders 000/, 001/, ...) next to tracks.csv",
            extra={"path": str(root)},
        )
    return meta, audio_root


def fma_dataset(
    root: str | os.PathLike[str], *, resolver: LabelResolver, subset: str | None = None
) -> LabeledDataset:
    """The Free Music Archive layout: ``tracks.csv`` plus ``<fma_x>/NNN/NNNNNN.mp3``.

    Labels come from the ``track/genre_top`` column and splits from ``set/split``. Tracks in
    the metadata whose audio is not in the tree (the small and medium subsets hold only part
    of the archive) are counted as missing, not errors.

    Parameters
    ----------
    root : path-like
        Folder holding ``tracks.csv`` (or ``fma_metadata/tracks.csv``) and the audio tree.
    resolver : LabelResolver
    subset : str or None
        Keep only this ``set/subset`` value (``small``, ``medium``, ...).

    Raises
    ------
    DatasetError
        Layout not found, or the header lacks ``track/genre_top``.
    UnknownLabelError
        Top genres that are not modelled and not mapped (FMA's are broad: map them).
    """
    meta, audio_root = _fma_paths(Path(root))
    with meta.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    if len(rows) < 3:
        raise DatasetError(f"{meta.name}: expected FMA's three header rows")
    header = list(zip(rows[0], rows[1], strict=False))
    try:
        genre_col = header.index(("track", "genre_top"))
    except ValueError as exc:
        raise DatasetError(f"{meta.name}: no track/genre_top column; is this FMA's tracks.csv?") from exc
    split_col = header.index(("set", "split")) if ("set", "split") in header else None
    subset_col = header.index(("set", "subset")) if ("set", "subset") in header else None
    entries: list[tuple[int, str, str | None]] = []
    for row in rows[3:]:
        if len(row) <= genre_col or not row[0].strip().isdigit() or not row[genre_col].strip():
            continue
        if subset is not None and (subset_col is None or row[subset_col] != subset):
            continue
        split = FMA_SPLITS.get(row[split_col]) if split_col is not None else None
        entries.append((int(row[0]), row[genre_col].strip(), split))
    resolved = resolver.resolve_all([g for _, g, _ in entries], source=meta.name)
    tracks: list[LabeledTrack] = []
    skipped = missing = 0
    for (tid, genre, split), label in zip(entries, resolved, strict=True):
        if label is None:
            skipped += 1
            continue
        name = f"{tid:06d}"
        audio = audio_root / name[:3] / f"{name}.mp3"
        if not audio.is_file():
            missing += 1
            continue
        tracks.append(LabeledTrack(path=audio, label=label, source_label=genre, split=split))
    if not tracks:
        raise DatasetError(f"{root}: no FMA track with a usable genre has its audio in {audio_root}")
    return LabeledDataset(tracks=tracks, kind="fma", skipped=skipped, missing=missing)


def load_dataset(source: str | os.PathLike[str], *, resolver: LabelResolver) -> LabeledDataset:
    """Open a labelled source, recognising its layout.

    A ``.csv`` file is a manifest; a folder with ``tracks.csv`` (or ``fma_metadata/``) is FMA;
    any other folder is a folder per genre.
    """
    p = Path(source)
    if p.is_file() and p.suffix.lower() == ".csv":
        return csv_dataset(p, resolver=resolver)
    if p.is_dir():
        if (p / "tracks.csv").is_file() or (p / "fma_metadata" / "tracks.csv").is_file():
            return fma_dataset(p, resolver=resolver)
        return folder_dataset(p, resolver=resolver)
    raise DatasetError(
        f"{p}: expected a folder (one sub-folder per genre, or FMA) or a CSV manifest",
        extra={"path": str(p)},
    )


def _rank(path: Path, salt: str) -> str:
    return hashlib.sha1(f"{salt}:{path.as_posix()}".encode()).hexdigest()


def assign_splits(
    tracks: Sequence[LabeledTrack],
    *,
    val_fraction: float = 0.15,
    test_fraction: float = 0.15,
    salt: str = "genrelens",
) -> list[LabeledTrack]:
    """Give every track without a split one, stratified by label and stable across runs.

    Within each label, tracks are ordered by a hash of their path; the first share goes to
    ``test``, the next to ``val``, the rest to ``train``. Adding files does not reshuffle
    existing ones much, and the same folder always gives the same split. Labels with fewer
    than three tracks keep at least one training track.

    Returns
    -------
    list of LabeledTrack
    """
    if not (0 <= val_fraction < 1 and 0 <= test_fraction < 1 and val_fraction + test_fraction < 1):
        raise InvalidParameterError(
            f"val_fraction ({val_fraction}) + test_fraction ({test_fraction}) must be in [0, 1)"
        )
    out = list(tracks)
    by_label: dict[str, list[int]] = {}
    for i, t in enumerate(out):
        if t.split is None:
            by_label.setdefault(t.label, []).append(i)
    for idx in by_label.values():
        idx.sort(key=lambda i: _rank(out[i].path, salt))
        n = len(idx)
        n_test = min(round(n * test_fraction), max(n - 1, 0))
        n_val = min(round(n * val_fraction), max(n - 1 - n_test, 0))
        for j, i in enumerate(idx):
            split = "test" if j < n_test else "val" if j < n_test + n_val else "train"
            out[i] = replace(out[i], split=split)
    return out
