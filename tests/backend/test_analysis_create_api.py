"""POST /api/analyses/: the happy path end to end, reuse, and every bad upload (RELIABILITY C1)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from backend_helpers import png_bytes, upload, upload_raw, wav_bytes
from django.conf import settings
from django.test import override_settings

from analyses.models import Analysis
from catalog.models import Track
from genrelens.model.identity import installed_model_version


def _stored_files() -> list[Path]:
    return [p for p in Path(settings.UPLOAD_ROOT).rglob("*") if p.is_file()]


@pytest.mark.django_db(transaction=True)
def test_upload_runs_the_real_pipeline_to_a_result(anon: Any) -> None:
    # transaction=True: the commit really happens, so on_commit publishes and the (eager)
    # task runs the real task body and the real core pipeline.
    response = upload(anon, wav_bytes(8.0), name="My Track.wav")
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "queued" and body["reused"] is False
    assert body["url"] == f"/api/analyses/{body['id']}/"

    detail = anon.get(body["url"]).json()
    assert detail["status"] == "succeeded", detail["error"]
    assert detail["stage"] == "done" and detail["progress"] == 1.0
    assert detail["error"] is None
    result = detail["result"]
    assert result["schema_version"] == "1"
    assert result["source"]["format"] == "wav"
    assert 7.5 < result["source"]["duration_analyzed_s"] <= 8.01
    assert result["tempo"]["bpm"] is None or np.isfinite(result["tempo"]["bpm"])
    assert detail["track"]["title"] == "My Track"
    assert detail["track"]["original_filename"] == "My Track.wav"
    analysis = Analysis.objects.get(pk=body["id"])
    assert analysis.attempts == 1 and analysis.dispatched_at is not None
    assert analysis.is_current

    audio = anon.get(detail["track"]["audio_url"])
    assert audio.status_code == 200
    assert audio["Content-Type"] == "audio/wav"
    assert audio["X-Content-Type-Options"] == "nosniff"
    assert audio["Content-Disposition"].startswith("attachment")
    assert b"".join(audio.streaming_content) == wav_bytes(8.0)


def _uploaded_and_done(anon: Any, data: bytes, *, model_version: str | None) -> dict[str, Any]:
    """Upload ``data`` and mark its analysis succeeded, as made by ``model_version``."""
    first: dict[str, Any] = upload(anon, data).json()
    Analysis.objects.filter(pk=first["id"]).update(
        status="succeeded", stage="done", progress=1.0, result={"schema_version": "1"},
        model_version=model_version)
    return first


@pytest.mark.django_db
def test_same_content_reuses_the_analysis_unless_reanalyze(anon: Any) -> None:
    data = wav_bytes(4.0)
    first = _uploaded_and_done(anon, data, model_version=installed_model_version())
    again = upload(anon, data, name="copy.wav")
    assert again.status_code == 200
    assert again.json()["id"] == first["id"] and again.json()["reused"] is True
    assert again.json()["result"] == {"schema_version": "1"}

    fresh = upload(anon, data, reanalyze="true")
    assert fresh.status_code == 202
    assert fresh.json()["id"] != first["id"] and fresh.json()["reused"] is False
    assert Track.objects.count() == 1 and Analysis.objects.count() == 2
    assert len(_stored_files()) == 1


@pytest.mark.django_db
def test_a_result_of_an_older_model_is_not_reused(anon: Any) -> None:
    """After a model upgrade the same upload gets a fresh analysis, not the stale answer."""
    data = wav_bytes(4.0)
    first = _uploaded_and_done(anon, data, model_version="2000.1.1")
    again = upload(anon, data, name="copy.wav")
    assert again.status_code == 202
    assert again.json()["id"] != first["id"] and again.json()["reused"] is False
    assert Analysis.objects.get(pk=again.json()["id"]).status == "queued"


@pytest.mark.django_db
def test_same_content_while_queued_points_to_the_queued_job(anon: Any) -> None:
    data = wav_bytes(4.0)
    first = upload(anon, data).json()
    again = upload(anon, data)
    assert again.status_code == 202
    assert again.json() | {"reused": False} == first
    assert again.json()["reused"] is True


@pytest.mark.django_db
def test_same_bytes_from_another_user_get_their_own_analysis(make_user: Any) -> None:
    """De-duplication is per owner: no content oracle, and each user may delete their upload."""
    data = wav_bytes(4.0)
    alice, alice_api = make_user("alice")
    bob, bob_api = make_user("bob")
    theirs = upload(alice_api, data, name="alice-secret-name.wav").json()
    Analysis.objects.filter(pk=theirs["id"]).update(
        status="succeeded", stage="done", progress=1.0, result={"schema_version": "1"},
        model_version=installed_model_version())
    mine = upload(bob_api, data, name="bob.wav")
    assert mine.status_code == 202
    body = mine.json()
    assert body["id"] != theirs["id"] and body["reused"] is False
    assert "alice-secret-name" not in mine.content.decode()
    assert Track.objects.filter(owner=bob).count() == Track.objects.filter(owner=alice).count() == 1
    assert Analysis.objects.get(pk=body["id"]).owner == bob
    assert bob_api.delete(f"/api/analyses/{body['id']}/").status_code == 204
    assert Track.objects.filter(owner=alice).count() == 1 and Analysis.objects.filter(
        owner=alice).exists()


@pytest.mark.django_db
def test_on_commit_only_publishes_committed_jobs(
        anon: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        upload(anon, wav_bytes(4.0))
    assert len(callbacks) == 1  # the publish waits for the commit


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "status", "code"), [
    (b"", 400, "empty_file"),
    (png_bytes(), 415, "unsupported_media_type"),
    (np.random.default_rng(440).bytes(50_000), 415, "unsupported_media_type"),
    (b"<html><body>hello</body></html>" * 10, 415, "unsupported_media_type"),
    (b"PK\x03\x04" + bytes(2000), 415, "unsupported_media_type"),
    (b"%PDF-1.7\n" + bytes(2000), 415, "unsupported_media_type"),
    (b"\x7fELF\x02\x01\x01" + bytes(2000), 415, "unsupported_media_type"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>" * 50, 415, "unsupported_media_type"),
    (wav_bytes(0.2), 422, "audio_too_short"),
    (wav_bytes(4.0)[:60], 422, "audio_too_short"),
    (b"RIFF\x00\x00\x00\x00WAVE" + np.random.default_rng(440).bytes(4000), 422,
     "audio_decode_failed"),
], ids=["empty", "png-named-mp3", "random-bytes", "html", "zip", "pdf", "elf", "svg",
        "too-short", "truncated-wav", "corrupt-wav-header"])
def test_bad_upload_is_refused_with_a_code_and_leaves_nothing(
        anon: Any, data: bytes, status: int, code: str) -> None:
    response = upload(anon, data, name="song.mp3", content_type="audio/mpeg")
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert body["message"] and "\n" not in body["message"]
    assert set(body) == {"message", "code", "extra"}
    assert not Track.objects.exists() and not Analysis.objects.exists()
    assert _stored_files() == []


@pytest.mark.django_db
def test_wav_named_mp3_is_stored_as_wav(anon: Any) -> None:
    response = upload(anon, wav_bytes(4.0), name="song.mp3", content_type="audio/mpeg")
    assert response.status_code == 202
    track = Track.objects.get()
    assert track.format == "wav" and track.mime == "audio/wav"
    assert track.stored_name.endswith(".wav")


@pytest.mark.django_db
def test_size_limit_at_the_limit_and_one_byte_over(anon: Any) -> None:
    data = wav_bytes(4.0)
    with override_settings(MAX_UPLOAD_BYTES=len(data)):
        assert upload(anon, data).status_code == 202
    with override_settings(MAX_UPLOAD_BYTES=len(data) - 1):
        response = upload(anon, wav_bytes(4.0, seed=1))
    assert response.status_code == 413
    assert response.json()["code"] == "file_too_large"
    assert response.json()["extra"] == {"limit_bytes": len(data) - 1}
    assert Track.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("name", [".", "..", "music/.."])
@pytest.mark.parametrize("seconds", [4.0, 0.02])
def test_a_file_name_that_names_no_file_is_400_saying_so(anon: Any, name: str,
                                                         seconds: float) -> None:
    """Django drops such parts; the client was told "header size exceeded" (issue 17)."""
    response = upload_raw(anon, wav_bytes(seconds), filename=name)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_parameter"
    assert "names no file" in body["message"] and body["extra"]["filename"] == name
    assert _stored_files() == []


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["../../etc/passwd.mp3", "a\x00b.mp3", "\u202egnp.mp3",
                                  "é" * 300 + ".wav", "C:\\Windows\\x.wav"])
def test_hostile_file_names_never_reach_the_file_system(anon: Any, name: str) -> None:
    response = upload_raw(anon, wav_bytes(4.0), filename=name)
    assert response.status_code in (202, 400), response.content
    if response.status_code == 400:  # Django's parser dropped a file with no usable name
        assert response.json()["code"] == "invalid_parameter"
        assert _stored_files() == []
        return
    track = Track.objects.get()
    root = Path(settings.UPLOAD_ROOT).resolve()
    stored = (root / track.stored_name).resolve()
    assert os.path.commonpath([root, stored]) == str(root) and stored.is_file()
    assert name not in track.stored_name
    assert len(track.original_filename.encode()) <= 255
    assert "/" not in track.original_filename and "\x00" not in track.original_filename
    assert "\u202e" not in track.original_filename


@pytest.mark.django_db
def test_missing_file_field_is_400(anon: Any) -> None:
    response = upload(anon, wav_bytes(4.0), field="upload")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_parameter"


@pytest.mark.django_db
def test_uploads_need_a_user_when_configured(anon: Any, make_user: Any) -> None:
    with override_settings(REQUIRE_AUTH_FOR_UPLOAD=True):
        refused = upload(anon, wav_bytes(4.0))
        assert refused.status_code == 401
        assert refused["WWW-Authenticate"] == "Token"
        _, api = make_user("alice")
        assert upload(api, wav_bytes(4.0)).status_code == 202
    assert Analysis.objects.get().owner.username == "alice"


@pytest.mark.django_db
def test_batch_accepts_good_files_and_lists_bad_ones(anon: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = [SimpleUploadedFile("a.wav", wav_bytes(4.0, seed=1)),
             SimpleUploadedFile("b.png", png_bytes()),
             SimpleUploadedFile("c.wav", wav_bytes(4.0, seed=2))]
    response = anon.post("/api/analyses/batch/", {"files": files}, format="multipart")
    assert response.status_code == 202
    body = response.json()
    assert len(body["analyses"]) == 2
    assert body["errors"] == [{"filename": "b.png", "code": "unsupported_media_type",
                               "message": body["errors"][0]["message"]}]
    assert Analysis.objects.count() == 2


@pytest.mark.django_db
def test_batch_of_only_bad_files_is_refused(anon: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = anon.post("/api/analyses/batch/", {"files": [SimpleUploadedFile("x.mp3", b"")]},
                         format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == "empty_file"
    assert response.json()["extra"]["errors"][0]["filename"] == "x.mp3"


@pytest.mark.django_db
def test_id3_header_over_html_is_refused(anon: Any) -> None:
    polyglot = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"<html><script>alert(1)</script></html>" * 40
    response = upload(anon, polyglot, name="x.mp3")
    assert response.status_code in (415, 422)
    assert response.json()["code"] in ("unsupported_media_type", "audio_decode_failed")
    assert _stored_files() == []


@pytest.mark.django_db
def test_too_many_file_parts_is_400(anon: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = [SimpleUploadedFile(f"{i}.wav", b"RIFF") for i in range(settings.MAX_BATCH_FILES + 1)]
    response = anon.post("/api/analyses/batch/", {"files": files}, format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_parameter"
    assert not Track.objects.exists()


@pytest.mark.django_db
def test_session_upload_without_csrf_token_is_403(make_user: Any) -> None:
    from rest_framework.test import APIClient

    user, _ = make_user("carol")
    session = APIClient(enforce_csrf_checks=True)
    session.force_login(user)
    response = upload(session, wav_bytes(4.0))
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Analysis.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_uploads(anon: Any) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from backend_helpers import broker
    from django.db import connection
    from rest_framework.test import APIClient

    from config.celery import app as celery_app

    def one(seed: int) -> int:
        try:
            return int(upload(APIClient(), wav_bytes(3.5, seed=seed)).status_code)
        finally:
            connection.close()

    with broker(settings.CELERY_BROKER_URL):
        with ThreadPoolExecutor(max_workers=8) as pool:
            codes = list(pool.map(one, range(100, 120)))
        celery_app.connection_for_write().default_channel.queue_purge(
            settings.CELERY_TASK_DEFAULT_QUEUE)  # no worker here: drop the 20 messages
    assert codes == [202] * 20
    assert Analysis.objects.count() == 20 == Analysis.objects.filter(
        dispatched_at__isnull=False).count()
    assert len(set(Track.objects.values_list("stored_name", flat=True))) == 20
    assert len(_stored_files()) == 20
