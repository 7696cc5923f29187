"""The job state machine: idempotent runs, leases, sweeper, failures with codes (RELIABILITY C3).

These run the real task body and the real core pipeline in-process (Celery eager mode); the
worker-process scenarios (killed worker, broker restart) are in test_worker_integration.py.
"""

from __future__ import annotations

import io
import time
from datetime import timedelta
from typing import Any

import numpy as np
import pytest
import soundfile as sf
from backend_helpers import SR, beat_track, broker, hung_server, upload, wav_bytes
from django.conf import settings
from django.db import OperationalError
from django.test import override_settings
from django.utils import timezone
from signals import mp3_claiming

from analyses import jobs, services
from analyses.jobs import analysis_run, analysis_sweep
from analyses.models import Analysis
from analyses.tasks import analysis_run_task
from config.celery import app as celery_app

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(anon: Any) -> Analysis:
    """An uploaded analysis whose message was not published (the test runs it by hand)."""
    response = upload(anon, wav_bytes(4.0))
    assert response.status_code == 202
    return Analysis.objects.get(pk=response.json()["id"])


def test_running_twice_stores_one_result(queued: Analysis) -> None:
    assert analysis_run(queued.pk) == "succeeded"
    first = Analysis.objects.get(pk=queued.pk)
    assert analysis_run(queued.pk) == "skipped"  # a redelivered message
    second = Analysis.objects.get(pk=queued.pk)
    assert (second.attempts, second.finished_at, second.result) == (
        1, first.finished_at, first.result)
    assert first.result["source"]["name"] == "track.wav"  # never the stored random name
    assert Analysis.objects.filter(track=queued.track, is_current=True).count() == 1


def test_a_live_lease_is_not_taken(queued: Analysis) -> None:
    claim = jobs._claim(queued.pk)
    assert claim is not None and claim.attempt == 1
    assert analysis_run(queued.pk) == "skipped"
    assert Analysis.objects.get(pk=queued.pk).status == "running"


def test_a_stale_attempt_cannot_write(queued: Analysis) -> None:
    stale = jobs._claim(queued.pk)
    assert stale is not None
    Analysis.objects.filter(pk=queued.pk).update(lease_expires_at=timezone.now())
    fresh = jobs._claim(queued.pk)
    assert fresh is not None and fresh.attempt == 2
    assert jobs._succeed(stale, {"schema_version": "1"}) is False
    assert jobs._succeed(fresh, {"schema_version": "1"}) is True


def test_sweeper_requeues_an_expired_lease_and_the_job_completes(queued: Analysis) -> None:
    Analysis.objects.filter(pk=queued.pk).update(
        status="running", stage="features", attempts=1,
        lease_expires_at=timezone.now() - timedelta(seconds=1))
    counts = analysis_sweep()  # eager: the re-published job runs right here
    assert counts["requeued"] == 1 and counts["dispatched"] == 1
    done = Analysis.objects.get(pk=queued.pk)
    assert (done.status, done.attempts) == ("succeeded", 2)


def test_sweeper_gives_up_after_max_attempts(queued: Analysis) -> None:
    Analysis.objects.filter(pk=queued.pk).update(
        status="running", attempts=settings.ANALYSIS_MAX_ATTEMPTS,
        lease_expires_at=timezone.now() - timedelta(seconds=1))
    assert analysis_sweep()["failed"] == 1
    failed = Analysis.objects.get(pk=queued.pk)
    assert (failed.status, failed.stage, failed.error_code) == ("failed", "failed", "worker_lost")


def test_sweeper_leaves_live_jobs_alone(queued: Analysis) -> None:
    jobs._claim(queued.pk)
    assert analysis_sweep() == {"requeued": 0, "failed": 0, "dispatched": 0, "redispatched": 0}


def test_the_track_gets_the_decoded_duration_not_the_headers(anon: Any) -> None:
    buffer = io.BytesIO()
    sf.write(buffer, beat_track(12.0), SR, format="MP3")
    liar = mp3_claiming(buffer.getvalue(), seconds=14_040, sr=SR)  # 3.9 h: under the limit
    response = upload(anon, liar, name="liar.mp3", content_type="audio/mpeg")
    assert response.status_code == 202
    assert analysis_run(response.json()["id"]) == "succeeded"
    analysis = Analysis.objects.select_related("track").get(pk=response.json()["id"])
    source = analysis.result["source"]
    assert source["declared_duration_s"] == pytest.approx(14_040, abs=1)
    assert source["duration_analyzed_s"] == pytest.approx(12.0, abs=0.1)
    assert source["truncated"] is True
    assert analysis.track.duration_s == pytest.approx(12.0, abs=0.1)
    track = anon.get(f"/api/tracks/{analysis.track_id}/").json()
    assert track["duration_s"] == pytest.approx(12.0, abs=0.1)


def test_audio_with_nan_fails_with_its_code(anon: Any) -> None:
    signal = beat_track(4.0)
    signal[1000:1100] = np.nan
    buffer = io.BytesIO()
    sf.write(buffer, signal, SR, format="WAV", subtype="FLOAT")
    pk = upload(anon, buffer.getvalue()).json()["id"]
    assert analysis_run(pk) == "failed"
    body = anon.get(f"/api/analyses/{pk}/").json()
    assert body["status"] == "failed" and body["stage"] == "failed"
    assert body["error"]["code"] == "invalid_audio"
    assert "\n" not in body["error"]["message"]


def _failing_once(monkeypatch: Any, error: Exception) -> None:
    """The core pipeline raises ``error`` on its first call, then runs for real."""
    import genrelens.predict.pipeline

    real, calls = genrelens.predict.pipeline.analyze_path, []

    def analyze_path(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(genrelens.predict.pipeline, "analyze_path", analyze_path)


def test_a_transient_database_error_is_retried_and_the_job_completes(
        queued: Analysis, monkeypatch: Any) -> None:
    _failing_once(monkeypatch, OperationalError("database is locked"))
    # Eager mode runs the task's autoretry at once (no backoff wait).
    assert analysis_run_task.apply(args=(str(queued.pk),)).get() == "succeeded"
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == ("succeeded", 2)


def test_any_other_error_fails_the_job_as_internal_with_its_traceback_logged(
        queued: Analysis, monkeypatch: Any, caplog: Any) -> None:
    _failing_once(monkeypatch, KeyError("a bug"))
    assert analysis_run_task.apply(args=(str(queued.pk),)).get() == "failed"
    queued.refresh_from_db()
    assert (queued.status, queued.error_code, queued.attempts) == ("failed", "internal", 1)
    assert "\n" not in queued.error_message and "a bug" not in queued.error_message
    assert any(record.exc_info and record.exc_info[0] is KeyError for record in caplog.records)


def test_deleted_while_running_writes_nothing(queued: Analysis) -> None:
    claim = jobs._claim(queued.pk)
    assert claim is not None
    services.analysis_delete(analysis=Analysis.objects.get(pk=queued.pk))
    assert jobs._succeed(claim, {"schema_version": "1"}) is False
    assert not Analysis.objects.exists()


def test_broker_down_upload_is_still_accepted_quickly_then_dispatched(
        anon: Any, django_capture_on_commit_callbacks: Any) -> None:
    with broker("redis://127.0.0.1:1/0"):
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            response = upload(anon, wav_bytes(4.0))
        elapsed = time.monotonic() - started
        assert response.status_code == 202
        assert elapsed < 2.0, elapsed
        analysis = Analysis.objects.get(pk=response.json()["id"])
        assert analysis.status == "queued" and analysis.dispatched_at is None
        ready = anon.get("/api/health/ready")
        assert ready.status_code == 503 and ready.json()["broker"] == "down"
        assert analysis_sweep()["dispatched"] == 0  # still down: left for the next sweep
    with broker(settings.CELERY_BROKER_URL):  # the broker is back (filesystem queue)
        assert analysis_sweep()["dispatched"] == 1
    assert Analysis.objects.get(pk=analysis.pk).dispatched_at is not None


def test_a_hung_broker_holds_an_upload_and_the_health_check_about_two_seconds(
        anon: Any, django_capture_on_commit_callbacks: Any) -> None:
    """A broker that accepts connections and never answers (issue 17: uploads took 10.1 s)."""
    bound = settings.BROKER_PUBLISH_TIMEOUT_S + 1.0  # the publish bound plus the upload's work
    with hung_server() as port, broker(f"redis://127.0.0.1:{port}/0"):
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            response = upload(anon, wav_bytes(4.0))
        elapsed = time.monotonic() - started
        assert response.status_code == 202
        assert elapsed < bound, elapsed
        assert Analysis.objects.get(pk=response.json()["id"]).dispatched_at is None
        started = time.monotonic()
        assert anon.get("/api/health/ready").json()["broker"] == "down"
        assert time.monotonic() - started < bound


@override_settings(ANALYSIS_REDISPATCH_AFTER_S=0)
def test_sweeper_republishes_queued_jobs_missing_from_an_empty_queue(queued: Analysis) -> None:
    Analysis.objects.filter(pk=queued.pk).update(
        dispatched_at=timezone.now() - timedelta(seconds=5))
    with broker(settings.CELERY_BROKER_URL):
        queue = celery_app.connection_for_write().default_channel
        queue.queue_purge(settings.CELERY_TASK_DEFAULT_QUEUE)
        assert analysis_sweep()["redispatched"] == 1  # queue empty: the message was lost
        assert analysis_sweep()["redispatched"] == 0  # now one is waiting: no duplicate
        queue.queue_purge(settings.CELERY_TASK_DEFAULT_QUEUE)
