"""Scan folders of audio: every file analysed once per installed model, on every core, resumable.

Two stores under the index folder (``~/.cache/genrelens/scan`` by default), both written
atomically (temporary file, fsync, rename), so a Ctrl-C or a crash loses at most the file in
flight:

- ``files.json``: path -> size, modification time and SHA-256 of the content, so an unchanged
  file is not even hashed again;
- ``results/<sha[:2]>/<sha>.json``: the analysis of one content (``AnalysisResult.to_dict()``),
  the model version that made it and the paths it was seen at;
- ``labels.json``: content SHA-256 -> the genre slug the user gave it (``genrelens label``), so
  a label follows the file through moves and re-analyses.

A file is skipped when a result for its content exists from the installed model's version, so
a moved or renamed file (same bytes, new path) is recognised by its hash and not analysed again.
Workers are ``multiprocessing`` spawn processes running ``genrelens.predict.pipeline.analyze_path``,
the function behind ``genrelens analyze`` and the web upload.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from genrelens.datasets.cache import file_digest
from genrelens.datasets.sources import AUDIO_EXTENSIONS
from genrelens.errors import GenreLensError, InvalidParameterError
from genrelens.pool import default_jobs, run_pool
from genrelens.timelimit import ANALYSIS_TIME_LIMIT_S, time_limit

__all__ = [
    "INDEX_VERSION",
    "FLUSH_EVERY_S",
    "ScanFailure",
    "ScanProgress",
    "ScanReport",
    "ScanIndex",
    "audio_files",
    "clock",
    "default_index_dir",
    "scan",
]

#: Layout version of the index folder; another version is ignored (everything is redone).
INDEX_VERSION = 1
#: Longest time between two writes of ``files.json`` during a scan [seconds].
FLUSH_EVERY_S = 5.0
#: The stages of a progress line; "queueing" is service mode's (jobs handed to Celery workers).
Stage = Literal["hashing", "analysing", "queueing"]


@dataclass(frozen=True, kw_only=True)
class ScanFailure:
    """A file that could not be hashed or analysed, with a one-line reason and its code."""

    path: Path
    message: str
    code: str


@dataclass(frozen=True, kw_only=True)
class ScanProgress:
    """Where a scan stands: ``done`` of ``total`` files of the current ``stage``."""

    stage: Stage
    done: int
    total: int
    failed: int
    elapsed_s: float

    @property
    def rate(self) -> float:
        """Files per second so far in this stage."""
        return self.done / self.elapsed_s if self.elapsed_s > 0 else 0.0

    @property
    def eta_s(self) -> float | None:
        """Seconds left at the rate so far; None before the first file is done."""
        return (self.total - self.done) / self.rate if self.rate > 0 else None

    def line(self) -> str:
        """``analysing 37/412  2.1 files/s  ETA 2:58  1 failed``: the progress line of a scan."""
        eta = "ETA --:--" if self.eta_s is None else f"ETA {clock(self.eta_s)}"
        failed = f"  {self.failed} failed" if self.failed else ""
        return f"{self.stage} {self.done}/{self.total}  {self.rate:.1f} files/s  {eta}{failed}"


def clock(seconds: float) -> str:
    """``m:ss`` or ``h:mm:ss``."""
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


@dataclass(frozen=True, kw_only=True)
class ScanReport:
    """What a scan did: ``analysed + skipped + len(failures) == total``."""

    total: int
    analysed: int
    skipped: int
    moved: int
    failures: tuple[ScanFailure, ...]
    elapsed_s: float
    model_version: str | None


def default_index_dir() -> Path:
    """``$XDG_CACHE_HOME/genrelens/scan`` (``~/.cache/genrelens/scan`` by default)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "genrelens" / "scan"


def audio_files(dirs: Sequence[str | os.PathLike[str]]) -> list[Path]:
    """Audio files under ``dirs`` (recursive, ``AUDIO_EXTENSIONS``), absolute and sorted, once each.

    Raises
    ------
    InvalidParameterError
        A path is not a directory; the message names it.
    """
    found: set[Path] = set()
    for folder in dirs:
        root = Path(folder).expanduser()
        if not root.is_dir():
            raise InvalidParameterError(f"{folder}: not a directory")
        for current, subdirs, names in os.walk(root):
            subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
            for name in names:
                if Path(name).suffix.lower() in AUDIO_EXTENSIONS and not name.startswith("."):
                    found.add((Path(current) / name).resolve())
    return sorted(found)


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class ScanIndex:
    """The index folder: known files (path -> size, mtime, SHA-256) and one result per content."""

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        self.root = Path(root) if root is not None else default_index_dir()
        self._files: dict[str, dict[str, Any]] = {}
        try:
            data = json.loads((self.root / "files.json").read_text(encoding="utf-8"))
            if data.get("version") == INDEX_VERSION and isinstance(data.get("files"), dict):
                self._files = data["files"]
        except (OSError, ValueError, AttributeError):
            pass  # no index yet, or a broken one: every file is hashed again

    def known_digest(self, path: Path) -> str | None:
        """The recorded SHA-256 of ``path`` when its size and modification time are unchanged."""
        entry = self._files.get(str(path))
        try:
            stat = path.stat()
        except OSError:
            return None
        if entry and entry.get("size") == stat.st_size and entry.get("mtime_ns") == stat.st_mtime_ns:
            digest = entry.get("sha256")
            return digest if isinstance(digest, str) else None
        return None

    def content_digest(self, path: Path) -> str | None:
        """SHA-256 of ``path``'s content: the recorded one while unchanged, else hashed now;
        None when the file cannot be read."""
        known = self.known_digest(path.resolve())
        if known is not None:
            return known
        try:
            return file_digest(path)
        except OSError:
            return None

    def remember(self, path: Path, *, size: int, mtime_ns: int, sha256: str) -> None:
        self._files[str(path)] = {"size": size, "mtime_ns": mtime_ns, "sha256": sha256}

    def save(self) -> None:
        """Write ``files.json`` atomically."""
        _atomic_write(self.root / "files.json",
                      json.dumps({"version": INDEX_VERSION, "files": self._files}))

    def _result_path(self, sha256: str) -> Path:
        return self.root / "results" / sha256[:2] / f"{sha256}.json"

    def entry(self, sha256: str) -> dict[str, Any] | None:
        """``{sha256, model_version, paths, result}`` of one content, or None."""
        try:
            data = json.loads(self._result_path(sha256).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and data.get("version") == INDEX_VERSION else None

    def store(self, sha256: str, *, model_version: str | None, path: Path,
              result: dict[str, Any]) -> None:
        """Record the analysis of one content, seen at ``path`` (atomic)."""
        self._write(sha256, model_version=model_version, paths=[str(path)], result=result)

    def add_path(self, entry: dict[str, Any], path: Path) -> bool:
        """Add ``path`` to an entry's paths; True when the path is new (a moved or copied file)."""
        if str(path) in entry["paths"]:
            return False
        self._write(entry["sha256"], model_version=entry["model_version"],
                    paths=[*entry["paths"], str(path)], result=entry["result"])
        return True

    def _write(self, sha256: str, *, model_version: str | None, paths: list[str],
               result: dict[str, Any]) -> None:
        _atomic_write(self._result_path(sha256), json.dumps(
            {"version": INDEX_VERSION, "sha256": sha256, "model_version": model_version,
             "paths": paths, "result": result}))

    def labels(self) -> dict[str, str]:
        """Content SHA-256 -> genre slug of every labelled content (``genrelens label``)."""
        try:
            data = json.loads((self.root / "labels.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != INDEX_VERSION:
            return {}
        labels = data.get("labels")
        if not isinstance(labels, dict):
            return {}
        return {sha: slug for sha, slug in labels.items() if isinstance(slug, str)}

    def set_labels(self, changes: dict[str, str | None]) -> None:
        """Label contents (slug) or clear their labels (None), re-reading the file first (atomic)."""
        labels = self.labels()
        for sha256, slug in changes.items():
            if slug is None:
                labels.pop(sha256, None)
            else:
                labels[sha256] = slug
        _atomic_write(self.root / "labels.json",
                      json.dumps({"version": INDEX_VERSION, "labels": labels}, sort_keys=True))

    def entries(self) -> Iterator[dict[str, Any]]:
        """Every stored result entry (for importing a scan elsewhere)."""
        for file in sorted((self.root / "results").glob("*/*.json")):
            entry = self.entry(file.stem)
            if entry is not None:
                yield entry


# --- worker side (module level: spawn pickles the function by name) -------------------------

def _digest_job(path: str) -> tuple[str, int, int, str | None, str]:
    try:
        stat = os.stat(path)
        return path, stat.st_size, stat.st_mtime_ns, file_digest(path), ""
    except OSError as exc:
        return path, 0, 0, None, f"cannot read ({exc.strerror})"


def _analyse_job(path: str) -> tuple[str, dict[str, Any] | None, str, str]:
    from genrelens.predict.pipeline import analyze_path

    try:
        with time_limit(ANALYSIS_TIME_LIMIT_S):
            return path, analyze_path(path).to_dict(), "", ""
    except GenreLensError as exc:
        return path, None, exc.message, exc.code
    except FileNotFoundError:
        return path, None, "no such file", "not_found"
    except Exception as exc:  # noqa: BLE001 - one failed file never stops the scan
        return path, None, f"internal error ({type(exc).__name__}: {exc})", "internal"


# --- parent side -----------------------------------------------------------------------------

def scan(
    dirs: Sequence[str | os.PathLike[str]],
    *,
    index: ScanIndex,
    model_version: str | None,
    jobs: int | None = None,
    force: bool = False,
    progress: Callable[[ScanProgress], None] | None = None,
) -> ScanReport:
    """Analyse every audio file under ``dirs`` not yet analysed by ``model_version``.

    Parameters
    ----------
    dirs : sequence of path-like
        Folders, walked recursively.
    index : ScanIndex
        Where known files and results live; updated as the scan goes.
    model_version : str or None
        The installed model's version (``model.identity.installed_model_version()``). A stored
        result counts only when made by this version; None (unknown) counts none.
    jobs : int, optional
        Worker processes (default ``default_jobs()``).
    force : bool
        Analyse every file again.
    progress : callable, optional
        Called with a ``ScanProgress`` after each file of each stage.

    Returns
    -------
    ScanReport

    Raises
    ------
    InvalidParameterError
        A path of ``dirs`` is not a directory, or ``jobs`` < 1.
    KeyboardInterrupt
        Passed on after the workers are stopped and the index is written: the next scan
        resumes with the files not yet done.
    """
    workers = default_jobs() if jobs is None else jobs
    if workers < 1:
        raise InvalidParameterError(f"jobs must be at least 1, got {workers}")
    started = time.perf_counter()
    paths = audio_files(dirs)
    failures: list[ScanFailure] = []
    digests: dict[Path, str] = {}
    last_flush = time.monotonic()

    def tick(stage: Stage, done: int, total: int, stage_started: float) -> None:
        nonlocal last_flush
        if time.monotonic() - last_flush > FLUSH_EVERY_S:
            index.save()
            last_flush = time.monotonic()
        if progress is not None:
            progress(ScanProgress(stage=stage, done=done, total=total, failed=len(failures),
                                  elapsed_s=time.perf_counter() - stage_started))

    try:
        unknown = []
        for path in paths:
            digest = index.known_digest(path)
            if digest is None:
                unknown.append(str(path))
            else:
                digests[path] = digest
        hash_started = time.perf_counter()
        for done, (name, size, mtime_ns, digest, error) in enumerate(
                run_pool(workers, _digest_job, unknown), start=1):
            if digest is None:
                failures.append(ScanFailure(path=Path(name), message=error, code="unreadable"))
            else:
                digests[Path(name)] = digest
                index.remember(Path(name), size=size, mtime_ns=mtime_ns, sha256=digest)
            tick("hashing", done, len(unknown), hash_started)
        todo, skipped, moved = _plan(paths, digests, index=index, model_version=model_version,
                                     force=force)
        analysed = 0
        analyse_started = time.perf_counter()
        for done, (name, result, message, code) in enumerate(
                run_pool(workers, _analyse_job, [str(p) for p in todo.values()]), start=1):
            path = Path(name)
            if result is None:
                failures.append(ScanFailure(path=path, message=message, code=code))
            else:
                index.store(digests[path], model_version=model_version, path=path, result=result)
                analysed += 1
            tick("analysing", done, len(todo), analyse_started)
        # Other files with the content of one just analysed share its result (or its failure).
        failed_paths = {failure.path: failure for failure in failures}
        for path in paths:
            digest = digests.get(path)
            if digest is None or digest not in todo or todo[digest] == path:
                continue
            entry = index.entry(digest)
            if entry is not None:
                index.add_path(entry, path)
                skipped += 1
            else:
                first = failed_paths.get(todo[digest])
                reason = first.message if first is not None else "result unreadable"
                failures.append(ScanFailure(path=path, code=first.code if first else "internal",
                                            message=f"{reason} (same content as {todo[digest].name})"))
    finally:
        index.save()
    return ScanReport(total=len(paths), analysed=analysed, skipped=skipped, moved=moved,
                      failures=tuple(failures), elapsed_s=time.perf_counter() - started,
                      model_version=model_version)


def _plan(paths: Iterable[Path], digests: dict[Path, str], *, index: ScanIndex,
          model_version: str | None, force: bool) -> tuple[dict[str, Path], int, int]:
    """Content -> first path to analyse; and how many files are skipped and among them moved."""
    todo: dict[str, Path] = {}
    skipped = moved = 0
    for path in paths:
        digest = digests.get(path)
        if digest is None or digest in todo:
            continue
        entry = None if force or model_version is None else index.entry(digest)
        if entry is not None and entry.get("model_version") == model_version:
            skipped += 1
            moved += index.add_path(entry, path)
        else:
            todo[digest] = path
    return todo, skipped, moved
