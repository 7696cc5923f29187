"""Sweep what killed processes leave on disk: orphan stored files and stale temporary files.

A web process killed between storing an upload and committing its track leaves a stored file
no track names; a server killed mid-upload leaves Django's temporary upload files; a worker
killed mid-decode leaves its ``genrelens-decode-*`` folder (up to about 950 MB for a long
file; issue 17). Nothing tells a live file from a dead one but its age, so only files untouched
for ``STALE_FILE_AGE_S`` are removed: longer than any upload, decode or analysis takes.
Run at start-up (``genrelens_serve``, each Celery worker) and hourly by celery beat.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from catalog.models import Track

__all__ = ["DECODE_DIR_PREFIX", "storage_sweep"]

logger = logging.getLogger(__name__)

#: Prefix of the core decoder's temporary folders (``genrelens.audio.decode.decode_file``; a
#: test checks that the two agree).
DECODE_DIR_PREFIX = "genrelens-decode-"
# Stored names asked about per query.
_NAMES_PER_QUERY = 500


def _newest_mtime(path: Path) -> float:
    """Latest modification time of ``path`` or anything directly inside it."""
    newest = path.stat().st_mtime
    if path.is_dir():
        for child in path.iterdir():
            newest = max(newest, child.lstat().st_mtime)
    return newest


def _remove(path: Path) -> bool:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    except FileNotFoundError:
        return False
    return True


def _is_stale(path: Path, *, before: float) -> bool:
    try:
        return _newest_mtime(path) < before
    except FileNotFoundError:
        return False  # gone meanwhile


def _stale(paths: Iterator[Path], *, before: float) -> Iterator[Path]:
    return (path for path in paths if _is_stale(path, before=before))


def _stored_files(root: Path) -> Iterator[tuple[str, Path]]:
    """``(stored name, path)`` of every file in the ``<2 hex>/`` folders of the upload root."""
    for folder in sorted(root.iterdir()):
        if folder.is_dir() and len(folder.name) == 2 and not folder.name.startswith("."):
            for path in folder.iterdir():
                if path.is_file():
                    yield f"{folder.name}/{path.name}", path


def _orphans(root: Path, *, before: float) -> Iterator[Path]:
    """Stored files older than ``before`` that no track names."""
    batch: dict[str, Path] = {}

    def unknown() -> Iterator[Path]:
        known = set(Track.objects.filter(stored_name__in=list(batch))
                    .values_list("stored_name", flat=True))
        yield from (path for name, path in batch.items() if name not in known)
        batch.clear()

    for name, path in _stored_files(root):
        if _is_stale(path, before=before):
            batch[name] = path
            if len(batch) >= _NAMES_PER_QUERY:
                yield from unknown()
    if batch:
        yield from unknown()


def storage_sweep(*, now: float | None = None) -> dict[str, int]:
    """Remove orphan stored files and stale temporary files of this host.

    Parameters
    ----------
    now : float, optional [seconds since the epoch]
        The present (for tests); files untouched since ``now - STALE_FILE_AGE_S`` go.

    Returns
    -------
    dict
        ``{"orphans", "upload_temps", "imports", "decode_dirs"}``: how many were removed.
    """
    before = (time.time() if now is None else now) - settings.STALE_FILE_AGE_S
    root = Path(settings.UPLOAD_ROOT)
    import_dir = root / ".import"
    temp_dir = Path(settings.UPLOAD_TEMP_DIR)
    decode_dirs = Path(tempfile.gettempdir()).glob(f"{DECODE_DIR_PREFIX}*")
    found = {
        "orphans": _orphans(root, before=before) if root.is_dir() else iter(()),
        "upload_temps": _stale(temp_dir.iterdir(), before=before) if temp_dir.is_dir() else iter(()),
        "imports": _stale(import_dir.iterdir(), before=before) if import_dir.is_dir() else iter(()),
        "decode_dirs": _stale(decode_dirs, before=before),
    }
    counts = {kind: sum(_remove(path) for path in paths) for kind, paths in found.items()}
    if any(counts.values()):
        logger.info("storage sweep removed %s", counts)
    return counts
