"""Analysis services: create (upload), dispatch, run in a worker, delete, and sweep.

Delivery is at least once (Celery ``acks_late``), so every step is idempotent and the job row
decides: a worker *claims* the job with a conditional update, keeps a lease alive with a
heartbeat, and writes its result only while it still holds the same attempt. A sweeper puts back
jobs whose lease expired (worker killed) and publishes jobs the broker never got (broker down at
upload time, or a broker restart that lost its queue). See docs/architecture.md and
shared/RELIABILITY.md Part B.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import (
    DatabaseError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    connection,
    transaction,
)
from django.utils import timezone
from kombu.exceptions import ChannelError, KombuError

from analyses.models import Analysis, DeletionAudit, FamilyScore, GenreScore
from analyses.selectors import NO_MODEL_VERSION, reusable
from catalog.models import Family, Genre, Track
from catalog.services import artist_get_or_create
from catalog.storage import display_name, stored_path, upload_remove, upload_store
from config.celery import app as celery_app
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
    "STAGE_SPANS",
    "SWEEP_BATCH",
    "TRANSIENT_ERRORS",
    "UPLOAD_ATTEMPTS",
    "AnalysisCreated",
    "UploadConflictError",
    "analysis_create",
    "analysis_delete",
    "analysis_dispatch",
    "analysis_import",
    "analysis_run",
    "analysis_scan_import",
    "analysis_scores_store",
    "analysis_sweep",
    "broker_is_up",
    "file_sha256",
]

logger = logging.getLogger(__name__)

#: Bytes read at a time while hashing an upload.
HASH_CHUNK_BYTES = 1 << 20
#: Share of the overall progress bar each pipeline stage covers: (start, span).
STAGE_SPANS: Mapping[str, tuple[float, float]] = {
    "decoding": (0.0, 0.25),
    "features": (0.25, 0.5),
    "model": (0.75, 0.25),
    "done": (1.0, 0.0),
}
#: Most jobs one sweep touches, so a sweep stays short whatever the backlog.
SWEEP_BATCH = 500
#: Tries to find or create an upload's track while parallel uploads or deletes of it interfere.
UPLOAD_ATTEMPTS = 3
#: Errors worth retrying the whole task for (database locked or briefly unreachable).
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)
# Errors a publish to an unreachable broker raises.
_BROKER_ERRORS: tuple[type[Exception], ...] = (KombuError, OSError, ConnectionError)
# Progress is written at most this often [seconds] (plus on every stage change).
_PROGRESS_WRITE_INTERVAL_S = 0.5


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


def _bounded_connection() -> Any:
    """A broker connection of its own whose every step gives up after the publish timeout.

    The pooled connection keeps the worker's transport options (a socket timeout of five
    publish timeouts, one retry), so a broker that accepts connections and never answers held
    an upload for 10.1 s. Here the connect and each read wait at most
    ``BROKER_PUBLISH_TIMEOUT_S`` and are tried once, so an upload or a health check waits about
    that long and the sweeper publishes the job later.
    """
    timeout = settings.BROKER_PUBLISH_TIMEOUT_S
    return celery_app.connection_for_write(
        connect_timeout=timeout,
        transport_options={"max_retries": 0, "socket_connect_timeout": timeout,
                           "socket_timeout": timeout})


def analysis_dispatch(analysis_id: Any) -> bool:
    """Publish the job's message with a bounded wait; on failure the sweeper publishes it later.

    ``dispatched_at`` is set before publishing (an eager or very fast worker may finish the job
    before we return) and cleared again when the broker refuses.

    Returns
    -------
    bool
        Whether the broker took the message.
    """
    from analyses.tasks import analysis_run_task  # tasks import this module

    marked = Analysis.objects.filter(pk=analysis_id, status=Analysis.Status.QUEUED).update(
        dispatched_at=timezone.now())
    if not marked:
        return False
    try:
        with _bounded_connection() as conn:
            analysis_run_task.apply_async((str(analysis_id),), retry=False, connection=conn)
    except _BROKER_ERRORS as exc:
        logger.warning("analysis %s: broker unavailable, left for the sweeper (%s)",
                       analysis_id, exc)
        Analysis.objects.filter(pk=analysis_id, status=Analysis.Status.QUEUED).update(
            dispatched_at=None)
        return False
    return True


@dataclass(frozen=True)
class _Claim:
    analysis_id: Any
    attempt: int
    stored_name: str
    display_name: str


class _JobLost(Exception):
    """The job row was deleted or re-claimed by another worker: stop without writing."""


def _fail(analysis_id: Any, *, code: str, message: str, attempt: int | None = None) -> bool:
    """Mark a job failed; with ``attempt``, only while that attempt still holds it."""
    rows = Analysis.objects.filter(pk=analysis_id).exclude(
        status__in=(Analysis.Status.SUCCEEDED, Analysis.Status.FAILED))
    if attempt is not None:
        rows = rows.filter(status=Analysis.Status.RUNNING, attempts=attempt)
    return bool(rows.update(status=Analysis.Status.FAILED, stage=Analysis.Stage.FAILED,
                            error_code=code, error_message=message[:2000],
                            finished_at=timezone.now(), lease_expires_at=None))


def _worker_lost_message(attempts: int) -> str:
    return f"the worker running this job stopped {attempts} time(s); giving up"


def _claim(analysis_id: Any) -> _Claim | None:
    """Take the job if it is queued or its lease expired; None if it is not ours to run."""
    now = timezone.now()
    with transaction.atomic():
        analysis = (Analysis.objects.select_for_update().select_related("track")
                    .filter(pk=analysis_id).first())
        if analysis is None:
            return None
        expired = (analysis.status == Analysis.Status.RUNNING
                   and analysis.lease_expires_at is not None and analysis.lease_expires_at < now)
        if analysis.status != Analysis.Status.QUEUED and not expired:
            return None
        if analysis.attempts >= settings.ANALYSIS_MAX_ATTEMPTS:
            _fail(analysis_id, code="worker_lost", message=_worker_lost_message(analysis.attempts))
            return None
        analysis.attempts += 1
        analysis.status = Analysis.Status.RUNNING
        analysis.stage = Analysis.Stage.DECODING
        analysis.progress = 0.0
        analysis.started_at = now
        analysis.lease_expires_at = now + timedelta(seconds=settings.ANALYSIS_LEASE_S)
        analysis.worker = f"{socket.gethostname()}:{os.getpid()}"
        analysis.save(update_fields=["attempts", "status", "stage", "progress", "started_at",
                                     "lease_expires_at", "worker"])
        return _Claim(analysis.pk, analysis.attempts, analysis.track.stored_name,
                      analysis.track.original_filename)


def _held(claim: _Claim) -> Any:
    return Analysis.objects.filter(pk=claim.analysis_id, status=Analysis.Status.RUNNING,
                                   attempts=claim.attempt)


class _Heartbeat(threading.Thread):
    """Extends the lease every ``ANALYSIS_HEARTBEAT_S`` while the pipeline runs."""

    def __init__(self, claim: _Claim) -> None:
        super().__init__(name=f"heartbeat-{claim.analysis_id}", daemon=True)
        self.claim = claim
        self.lost = threading.Event()
        self._stop_event = threading.Event()

    def run(self) -> None:
        try:
            while not self._stop_event.wait(settings.ANALYSIS_HEARTBEAT_S):
                lease = timezone.now() + timedelta(seconds=settings.ANALYSIS_LEASE_S)
                try:
                    if not _held(self.claim).update(lease_expires_at=lease):
                        self.lost.set()
                        return
                except DatabaseError as exc:
                    logger.warning("analysis %s: heartbeat failed (%s)", self.claim.analysis_id,
                                   exc)
        finally:
            connection.close()

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


class _ProgressReporter:
    """The ``progress(stage, fraction)`` callback given to the core; aborts a lost job."""

    def __init__(self, claim: _Claim, heartbeat: _Heartbeat) -> None:
        self.claim = claim
        self.heartbeat = heartbeat
        self._stage = ""
        self._written_at = 0.0

    def __call__(self, stage: str, fraction: float = 0.0) -> None:
        if self.heartbeat.lost.is_set():
            raise _JobLost(self.claim.analysis_id)
        now = time.monotonic()
        if stage == self._stage and now - self._written_at < _PROGRESS_WRITE_INTERVAL_S:
            return
        start, span = STAGE_SPANS.get(stage, (0.0, 0.0))
        overall = min(1.0, max(0.0, start + span * float(fraction)))
        fields: dict[str, Any] = {"progress": overall}
        if stage in Analysis.Stage.values and stage != Analysis.Stage.DONE:
            fields["stage"] = stage
        if not _held(self.claim).update(**fields):
            raise _JobLost(self.claim.analysis_id)
        self._stage, self._written_at = stage, now


def _test_stall(claim: _Claim, report: Callable[[str, float], None]) -> None:
    """Test hook: the first attempt sleeps so a test can kill its worker mid-job."""
    stall = settings.ANALYSIS_TEST_STALL_FIRST_ATTEMPT_S
    if claim.attempt != 1 or stall <= 0:
        return
    deadline = time.monotonic() + stall
    while time.monotonic() < deadline:
        report("decoding", 0.0)
        time.sleep(0.1)


def _model_version(result: Mapping[str, Any]) -> str:
    model = result.get("model")
    return str(model.get("version", "")) if isinstance(model, Mapping) else NO_MODEL_VERSION


def _succeed(claim: _Claim, result: dict[str, Any]) -> bool:
    """Store the result, the score rows and the track's headline, if we still hold the job."""
    with transaction.atomic():
        stored = _held(claim).update(
            status=Analysis.Status.SUCCEEDED, stage=Analysis.Stage.DONE, progress=1.0,
            result=result, model_version=_model_version(result), finished_at=timezone.now(),
            lease_expires_at=None, error_code="", error_message="")
        if not stored:
            return False
        analysis_scores_store(Analysis.objects.select_related("track").get(pk=claim.analysis_id),
                              result)
    return True


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


def _release(claim: _Claim) -> None:
    """Hand a job back to the queue after a transient error, so the retry can claim it."""
    try:
        _held(claim).update(status=Analysis.Status.QUEUED, stage=Analysis.Stage.QUEUED,
                            progress=0.0, lease_expires_at=None)
    except DatabaseError as exc:
        logger.warning("analysis %s: release failed, the lease will expire (%s)",
                       claim.analysis_id, exc)


def analysis_run(analysis_id: Any) -> str:
    """Run one job in this worker: claim it, call the core pipeline, store the outcome.

    Safe to call any number of times for the same job (a redelivered message): only the caller
    holding the current attempt writes, so at most one result is stored.

    Returns
    -------
    str
        ``succeeded``, ``failed``, ``skipped`` (not ours: done, running elsewhere, deleted) or
        ``lost`` (deleted or re-claimed while we ran).

    Raises
    ------
    OperationalError, InterfaceError
        Transient database errors; the job is released and the task retries.
    """
    claim = _claim(analysis_id)
    if claim is None:
        return "skipped"
    heartbeat = _Heartbeat(claim)
    report = _ProgressReporter(claim, heartbeat)
    heartbeat.start()
    try:
        _test_stall(claim, report)
        # Imported here: the pipeline loads torch, which the web process never needs.
        from genrelens.predict.pipeline import analyze_path

        result = analyze_path(stored_path(claim.stored_name), progress=report)
    except _JobLost:
        return "lost"
    except GenreLensError as exc:
        _fail(claim.analysis_id, code=exc.code, message=exc.message, attempt=claim.attempt)
        return "failed"
    except SoftTimeLimitExceeded:
        _fail(claim.analysis_id, code="timeout", attempt=claim.attempt,
              message=f"the analysis ran past {settings.TASK_SOFT_TIME_LIMIT_S:.0f} s")
        return "failed"
    except TRANSIENT_ERRORS:
        _release(claim)
        raise
    except Exception:
        logger.exception("analysis %s: internal error", claim.analysis_id)
        _fail(claim.analysis_id, code="internal", attempt=claim.attempt,
              message="internal error while analysing; the traceback is in the worker log")
        return "failed"
    finally:
        heartbeat.stop()
    data = result.to_dict()
    # The core names the file it read (our random stored name); show the user's name instead.
    data.setdefault("source", {})["name"] = claim.display_name
    return "succeeded" if _succeed(claim, data) else "lost"


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


def broker_queue_size() -> int | None:
    """Messages waiting in the job queue, or None when the broker cannot tell us."""
    try:
        with _bounded_connection() as conn:
            conn.ensure_connection(max_retries=0, timeout=settings.BROKER_PUBLISH_TIMEOUT_S)
            _, count, _ = conn.default_channel.queue_declare(
                queue=settings.CELERY_TASK_DEFAULT_QUEUE, passive=True)
            return int(count)
    except ChannelError:
        # Redis keeps a queue as a list, and an empty list does not exist: "no such queue".
        return 0
    except (*_BROKER_ERRORS, TypeError, ValueError) as exc:
        logger.info("broker queue size unknown (%s)", exc)
        return None


def broker_is_up() -> bool:
    """Whether the broker accepts a connection within ``BROKER_PUBLISH_TIMEOUT_S``."""
    try:
        with _bounded_connection() as conn:
            conn.ensure_connection(max_retries=0, timeout=settings.BROKER_PUBLISH_TIMEOUT_S)
            conn.default_channel.queue_declare(queue=settings.CELERY_TASK_DEFAULT_QUEUE,
                                               passive=False, durable=True, auto_delete=False)
        return True
    except _BROKER_ERRORS:
        return False


def analysis_sweep() -> dict[str, int]:
    """Re-queue jobs whose worker died, publish jobs the broker never got or lost.

    1. ``running`` with an expired lease: back to ``queued`` (attempt kept), or ``failed`` with
       ``worker_lost`` after ``ANALYSIS_MAX_ATTEMPTS``.
    2. ``queued`` and never published (``dispatched_at`` NULL): published now.
    3. ``queued``, published more than ``ANALYSIS_REDISPATCH_AFTER_S`` ago while the broker's
       queue is empty: the message was lost (broker restarted without persistence), so it is
       published again. A duplicate message is harmless: its claim finds the job taken.

    Returns
    -------
    dict
        ``{"requeued", "failed", "dispatched", "redispatched"}`` counts.
    """
    now = timezone.now()
    counts = {"requeued": 0, "failed": 0, "dispatched": 0, "redispatched": 0}
    expired = (Analysis.objects.filter(status=Analysis.Status.RUNNING, lease_expires_at__lt=now)
               .values_list("pk", "attempts")[:SWEEP_BATCH])
    for pk, attempts in list(expired):
        rows = Analysis.objects.filter(pk=pk, status=Analysis.Status.RUNNING,
                                       lease_expires_at__lt=now, attempts=attempts)
        if attempts >= settings.ANALYSIS_MAX_ATTEMPTS:
            counts["failed"] += rows.update(
                status=Analysis.Status.FAILED, stage=Analysis.Stage.FAILED,
                error_code="worker_lost", error_message=_worker_lost_message(attempts),
                finished_at=now, lease_expires_at=None)
        else:
            counts["requeued"] += rows.update(
                status=Analysis.Status.QUEUED, stage=Analysis.Stage.QUEUED, progress=0.0,
                lease_expires_at=None, dispatched_at=None, worker="")
    pending = (Analysis.objects.filter(status=Analysis.Status.QUEUED, dispatched_at__isnull=True)
               .order_by("created_at").values_list("pk", flat=True)[:SWEEP_BATCH])
    for pk in list(pending):
        if not analysis_dispatch(pk):
            return counts  # broker down: the next sweep tries again
        counts["dispatched"] += 1
    stale_before = now - timedelta(seconds=settings.ANALYSIS_REDISPATCH_AFTER_S)
    stale = list(Analysis.objects.filter(status=Analysis.Status.QUEUED,
                                         dispatched_at__lt=stale_before)
                 .order_by("created_at").values_list("pk", flat=True)[:SWEEP_BATCH])
    if stale and broker_queue_size() == 0:
        for pk in stale:
            if not analysis_dispatch(pk):
                break
            counts["redispatched"] += 1
    return counts


def _finished_analysis(track: Track, owner: Any, result: Mapping[str, Any]) -> Analysis:
    """A succeeded analysis of ``track`` holding ``result``, made its track's current one."""
    analysis = Analysis.objects.create(
        track=track, owner=owner, status=Analysis.Status.SUCCEEDED, stage=Analysis.Stage.DONE,
        progress=1.0, result=dict(result), model_version=_model_version(result),
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
    version = _model_version(result)
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
