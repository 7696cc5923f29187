"""Analysis services: the domain writes. Create (upload), store a result, delete, import, scan.

Running a job in a worker (claim, lease, heartbeat, sweep) is ``analyses.jobs``; publishing it
is ``analyses.broker``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import (
    IntegrityError,
    transaction,
)
from django.utils import timezone

from analyses.broker import analysis_dispatch
from analyses.models import Analysis, DeletionAudit, FamilyScore, GenreScore
from analyses.selectors import NO_MODEL_VERSION, reusable
from catalog.models import Family, Genre, Track
from catalog.services import artist_get_or_create
from catalog.storage import display_name, upload_remove, upload_store
from genrelens.audio.probe import probe_file
from genrelens.audio.tags import read_tags
from genrelens.errors import GenreLensError
from genrelens.library.scan import (
    ScanFailure,
    ScanIndex,
    ScanProgress,
    ScanReport,
    audio_files,
    scan,
)
from genrelens.model.identity import installed_model_version

__all__ = [
    "HASH_CHUNK_BYTES",
    "UPLOAD_ATTEMPTS",
    "AnalysisCreated",
    "UploadConflictError",
    "analysis_create",
    "analysis_delete",
    "analysis_import",
    "analysis_scan_import",
    "analysis_scan_queue",
    "analysis_scores_store",
    "file_sha256",
    "model_version_of",
]

logger = logging.getLogger(__name__)

#: Bytes read at a time while hashing an upload.
HASH_CHUNK_BYTES = 1 << 20
#: Tries to find or create an upload's track while parallel uploads or deletes of it interfere.
UPLOAD_ATTEMPTS = 3


class UploadConflictError(GenreLensError):
    """Parallel uploads or deletes of the same bytes kept changing the track under us (409)."""

    code = "upload_conflict"


@dataclass(frozen=True)
class AnalysisCreated:
    """What an upload produced: the analysis, and whether it is an earlier one reused."""

    analysis: Analysis
    reused: bool


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _owner_or_none(user: AbstractBaseUser | AnonymousUser | None) -> Any:
    return user if user is not None and user.is_authenticated else None


def _reusable_analysis(track: Track) -> Analysis | None:
    """The track's newest analysis an upload of its bytes reuses (``selectors.reusable``)."""
    return (Analysis.objects.filter(track=track).filter(reusable())
            .select_related("track", "track__artist").order_by("-created_at").first())


def _queue_analysis(track: Track, owner: Any) -> Analysis:
    """Create a queued analysis; its message is published only once the row is committed."""
    analysis = Analysis.objects.create(track=track, owner=owner)
    analysis_id = analysis.pk
    transaction.on_commit(lambda: analysis_dispatch(analysis_id))
    return analysis


def analysis_create(*, upload: Path, original_name: str,
                    user: AbstractBaseUser | AnonymousUser | None = None,
                    reanalyze: bool = False) -> AnalysisCreated:
    """Validate an uploaded file, store it under a generated name and queue its analysis.

    The decision comes from the bytes (``probe_file`` sniffs magic bytes and reads the header);
    the name and Content-Type are ignored. The same content uploaded again by the same owner
    reuses that owner's track and its analysis unless ``reanalyze``; another owner's upload of
    the same bytes gets a track and analysis of its own (nothing tells it the bytes were known).

    Parameters
    ----------
    upload : Path
        The uploaded bytes in a temporary file (deleted by the caller afterwards).
    original_name : str
        The client's file name, kept only for display after cleaning.
    user : User, optional
        The uploader; anonymous uploads have no owner.
    reanalyze : bool
        Queue a new analysis even when this content was analysed before.

    Returns
    -------
    AnalysisCreated

    Raises
    ------
    EmptyFileError, UnsupportedMediaError, AudioDecodeError, AudioTooShortError, AudioTooLongError
        From ``genrelens.audio.probe.probe_file``; the API maps them to 400/415/422.
    UploadConflictError
        Parallel uploads or deletes of the same bytes kept winning ``UPLOAD_ATTEMPTS`` times (409).
    """
    info = probe_file(upload)
    sha256 = file_sha256(upload)
    owner = _owner_or_none(user)
    for _ in range(UPLOAD_ATTEMPTS):
        with transaction.atomic():
            # Locked, so a delete of the same track waits for us (or we see it gone).
            existing = (Track.objects.select_for_update()
                        .filter(sha256=sha256, owner=owner).first())
            if existing is not None:
                if not reanalyze:
                    earlier = _reusable_analysis(existing)
                    if earlier is not None:
                        return AnalysisCreated(earlier, reused=True)
                return AnalysisCreated(_queue_analysis(existing, owner), reused=False)
        created = _track_create(upload, info=info, sha256=sha256, owner=owner,
                                original_name=original_name,
                                analysis=lambda track: _queue_analysis(track, owner))
        if created is not None:
            return created
    raise UploadConflictError(
        "the same file was uploaded or deleted at the same time; retry the upload",
        extra={"attempts": UPLOAD_ATTEMPTS})


def _track_create(upload: Path, *, info: Any, sha256: str, owner: Any, original_name: str,
                  analysis: Callable[[Track], Analysis]) -> AnalysisCreated | None:
    """Store a new track and its first analysis (queued by an upload, finished by an import).

    None when a parallel upload stored the same bytes first.
    """
    tags = read_tags(upload)
    name = display_name(original_name)
    stored = upload_store(upload, extension=info.format)
    try:
        with transaction.atomic():
            track = Track.objects.create(
                sha256=sha256, owner=owner, size_bytes=upload.stat().st_size,
                stored_name=stored, original_filename=name, format=info.format, mime=info.mime,
                sample_rate=info.sample_rate, channels=info.channels,
                # Unknown until decoded: a header may lie (14,040 s declared for a 20 s file).
                duration_s=None,
                title=tags.title or Path(name).stem, album=tags.album, year=tags.year,
                genre_tag=tags.genre, artist=artist_get_or_create(name=tags.artist),
            )
            return AnalysisCreated(analysis(track), reused=False)
    except IntegrityError:
        # The same owner's parallel upload stored these bytes: the caller's next try finds it.
        upload_remove(stored)
        return None
    except BaseException:
        upload_remove(stored)
        raise


def model_version_of(result: Mapping[str, Any]) -> str:
    """The version of the model that made ``result`` (``NO_MODEL_VERSION`` without one)."""
    model = result.get("model")
    return str(model.get("version", "")) if isinstance(model, Mapping) else NO_MODEL_VERSION


def analysis_scores_store(analysis: Analysis, result: Mapping[str, Any]) -> None:
    """Write a succeeded analysis' score rows, make it its track's current one, copy headlines.

    Called inside the transaction that marks the job succeeded. Genres or families missing from
    the database (taxonomy not loaded) are left out of the score rows, never an error.
    """
    genre_rows = {g["slug"]: float(g["probability"]) for g in result.get("genres", [])}
    family_rows = {f["slug"]: float(f["probability"]) for f in result.get("families", [])}
    genres = Genre.objects.in_bulk(list(genre_rows), field_name="slug")
    families = Family.objects.in_bulk(list(family_rows), field_name="slug")
    GenreScore.objects.bulk_create(
        [GenreScore(analysis=analysis, genre=genres[s], probability=p)
         for s, p in genre_rows.items() if s in genres], ignore_conflicts=True)
    FamilyScore.objects.bulk_create(
        [FamilyScore(analysis=analysis, family=families[s], probability=p)
         for s, p in family_rows.items() if s in families], ignore_conflicts=True)
    Analysis.objects.filter(track=analysis.track, is_current=True).update(is_current=False)
    Analysis.objects.filter(pk=analysis.pk).update(is_current=True)
    _track_headline_update(analysis.track, result, genres=genres, families=families)


def _track_headline_update(track: Track, result: Mapping[str, Any], *,
                           genres: Mapping[str, Genre], families: Mapping[str, Family]) -> None:
    """Copy the headline numbers of a finished analysis onto its track (for list filters)."""
    top = (result.get("genres") or [None])[0]
    top_family = (result.get("families") or [None])[0]
    key = result.get("key") or {}
    source = result.get("source") or {}
    track.bpm = (result.get("tempo") or {}).get("bpm")
    track.key_name = str(key.get("name") or "")[:32]
    track.camelot = str(key.get("camelot") or "")[:3]
    track.top_genre = genres.get(top["slug"]) if top else None
    track.top_probability = float(top["probability"]) if top else None
    track.family = families.get(top_family["slug"]) if top_family else None
    track.unsure = bool((result.get("confidence") or {}).get("unsure", True))
    track.energy = (result.get("energy") or {}).get("level")
    track.first_downbeat_s = (result.get("grid") or {}).get("first_downbeat_s")
    track.first_drop_s = result.get("first_drop_s")
    embedding = (result.get("sound") or {}).get("embedding")
    track.sound = np.asarray(embedding, dtype=np.float32).tobytes() if embedding else None
    if source.get("duration_analyzed_s") is not None:
        # The decoded samples' length, never the header's (which the result keeps as declared).
        track.duration_s = float(source["duration_analyzed_s"])
    track.save(update_fields=["bpm", "key_name", "camelot", "top_genre", "top_probability",
                              "family", "unsure", "duration_s", "energy", "first_downbeat_s",
                              "first_drop_s", "sound"])


def analysis_delete(*, analysis: Analysis, by: AbstractBaseUser | AnonymousUser | None = None) -> None:
    """Delete an analysis; its track and stored file go too when no other analysis uses them.

    The file is removed only after the rows are committed, so a rolled-back delete keeps both.
    A worker still running this job notices at its next progress report and stops unwritten.
    When ``by`` (the requester) is staff deleting what is not theirs, a ``DeletionAudit`` row
    is written in the same transaction (RELIABILITY C5).
    """
    with transaction.atomic():
        track = Track.objects.select_for_update().get(pk=analysis.track_id)
        analysis_id, track_id = analysis.pk, track.pk  # delete() sets pk to None
        analysis.delete()
        track_deleted = not Analysis.objects.filter(track=track).exists()
        if track_deleted:
            stored = track.stored_name
            track.delete()
            transaction.on_commit(lambda: upload_remove(stored))
        if by is not None and by.is_authenticated and getattr(by, "is_staff", False) \
                and analysis.owner_id != by.pk:
            owner = analysis.owner
            DeletionAudit.objects.create(
                actor_id=by.pk, actor_username=by.get_username(),
                owner_id=analysis.owner_id, owner_username=owner.get_username() if owner else "",
                analysis_id=analysis_id, track_id=track_id, track_sha256=track.sha256,
                original_filename=track.original_filename, track_deleted=track_deleted)


def _finished_analysis(track: Track, owner: Any, result: Mapping[str, Any]) -> Analysis:
    """A succeeded analysis of ``track`` holding ``result``, made its track's current one."""
    analysis = Analysis.objects.create(
        track=track, owner=owner, status=Analysis.Status.SUCCEEDED, stage=Analysis.Stage.DONE,
        progress=1.0, result=dict(result), model_version=model_version_of(result),
        finished_at=timezone.now())
    analysis_scores_store(analysis, result)
    return analysis


def analysis_import(*, source: Path, result: Mapping[str, Any],
                    user: AbstractBaseUser | AnonymousUser | None = None) -> AnalysisCreated:
    """Store a file analysed outside the web app (``genrelens scan``) with its finished result.

    The bytes are copied into storage, never hard-linked: the library's file stays the user's
    own (``upload_store`` would link it and change its permissions) and deleting the track never
    touches it. The same content of the same owner reuses the track; when its current analysis
    came from the same model version, nothing new is written (``reused``).

    Raises
    ------
    EmptyFileError, UnsupportedMediaError, AudioDecodeError, AudioTooShortError, AudioTooLongError
        From ``probe_file``: the file changed since the scan or was never audio.
    UploadConflictError
        A parallel upload or delete of the same bytes kept winning.
    """
    owner = _owner_or_none(user)
    version = model_version_of(result)
    import_dir = Path(settings.UPLOAD_ROOT) / ".import"
    import_dir.mkdir(parents=True, exist_ok=True)
    copy = import_dir / f"{os.getpid()}-{threading.get_ident()}{source.suffix.lower()[:8]}"
    shutil.copyfile(source, copy)
    try:
        info = probe_file(copy)
        sha256 = file_sha256(copy)
        for _ in range(UPLOAD_ATTEMPTS):
            with transaction.atomic():
                existing = (Track.objects.select_for_update()
                            .filter(sha256=sha256, owner=owner).first())
                if existing is not None:
                    current = existing.analyses.filter(
                        is_current=True, model_version=version,
                        status=Analysis.Status.SUCCEEDED).first()
                    if current is not None:
                        return AnalysisCreated(current, reused=True)
                    return AnalysisCreated(_finished_analysis(existing, owner, result), reused=False)
            created = _track_create(copy, info=info, sha256=sha256, owner=owner,
                                    original_name=source.name,
                                    analysis=lambda track: _finished_analysis(track, owner, result))
            if created is not None:
                return created
    finally:
        copy.unlink(missing_ok=True)
    raise UploadConflictError("the same file was uploaded or deleted at the same time; retry",
                              extra={"attempts": UPLOAD_ATTEMPTS})


@dataclass(frozen=True, kw_only=True)
class ScanImported:
    """What ``analysis_scan_import`` did: the core scan's report and the rows it wrote."""

    report: ScanReport
    imported: int
    reused: int
    failures: tuple[ScanFailure, ...]


def analysis_scan_import(*, dirs: Sequence[Path], user: AbstractBaseUser | AnonymousUser | None = None,
                         index: ScanIndex | None = None, jobs: int | None = None,
                         progress: Callable[[ScanProgress], None] | None = None) -> ScanImported:
    """Scan folders with the core (``genrelens scan``) and store every result in the library.

    The scan skips content the installed model already analysed; the import then writes each
    file's result through ``analysis_import``, so a scanned track is a track like an uploaded
    one (list, filters, genre pages, export). Running it again changes nothing.
    """
    scan_index = index if index is not None else ScanIndex()
    version = installed_model_version()
    report = scan(dirs, index=scan_index, model_version=version, jobs=jobs, progress=progress)
    imported = reused = 0
    failures: list[ScanFailure] = []
    failed = {failure.path for failure in report.failures}
    for path in audio_files(dirs):
        digest = scan_index.known_digest(path)
        entry = scan_index.entry(digest) if digest and path not in failed else None
        if entry is None:
            continue
        try:
            created = analysis_import(source=path, result=entry["result"], user=user)
        except GenreLensError as exc:
            failures.append(ScanFailure(path=path, message=exc.message, code=exc.code))
            continue
        except OSError as exc:
            failures.append(ScanFailure(path=path, message=f"cannot read ({exc.strerror})",
                                        code="unreadable"))
            continue
        reused += created.reused
        imported += not created.reused
    return ScanImported(report=report, imported=imported, reused=reused, failures=tuple(failures))


@dataclass(frozen=True, kw_only=True)
class ScanQueued:
    """What ``analysis_scan_queue`` did: one analysis per readable file, and the files refused."""

    analyses: dict[Path, str]  #: file -> id of its analysis (queued now, or reused)
    reused: int
    failures: tuple[ScanFailure, ...]


def analysis_scan_queue(*, dirs: Sequence[Path], user: AbstractBaseUser | AnonymousUser | None = None,
                        progress: Callable[[ScanProgress], None] | None = None) -> ScanQueued:
    """Queue every audio file under the folders as an analysis job, as an upload of it would.

    Service mode's scan: the jobs fan out over every Celery worker on every host instead of
    this machine's cores (``analysis_scan_import``). Each file goes through ``analysis_create``,
    so a content the owner already has analysed by the installed model (or queued) is reused,
    not analysed again, and a moved or renamed file is known by its hash. The original files
    are copied into storage, never moved.
    """
    files = audio_files(dirs)
    started = time.monotonic()
    analyses: dict[Path, str] = {}
    failures: list[ScanFailure] = []
    reused = 0
    for done, path in enumerate(files, start=1):
        try:
            created = analysis_create(upload=path, original_name=path.name, user=user)
        except GenreLensError as exc:
            failures.append(ScanFailure(path=path, message=exc.message, code=exc.code))
        except OSError as exc:
            failures.append(ScanFailure(path=path, message=f"cannot read ({exc.strerror})",
                                        code="unreadable"))
        else:
            analyses[path] = str(created.analysis.pk)
            reused += created.reused
        if progress is not None:
            progress(ScanProgress(stage="queueing", done=done, total=len(files),
                                  failed=len(failures), elapsed_s=time.monotonic() - started))
    return ScanQueued(analyses=analyses, reused=reused, failures=tuple(failures))
