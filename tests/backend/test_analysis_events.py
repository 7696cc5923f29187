"""GET /api/analyses/<id>/events/ (SSE progress) and the upload throttle."""

from __future__ import annotations

import json
from typing import Any

import pytest
from backend_helpers import upload, wav_bytes
from django.core.cache import cache
from django.test import override_settings
from rest_framework.throttling import SimpleRateThrottle

from analyses.jobs import analysis_run
from analyses.models import Analysis
from analyses.uploads import UploadThrottle

pytestmark = pytest.mark.django_db


def _events(response: Any) -> list[tuple[str, dict[str, Any]]]:
    text = b"".join(response.streaming_content).decode()
    events = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in lines:
            events.append((lines["event"], json.loads(lines["data"])))
    return events


def test_stream_ends_with_the_final_state(anon: Any) -> None:
    pk = upload(anon, wav_bytes(4.0)).json()["id"]
    analysis_run(pk)
    response = anon.get(f"/api/analyses/{pk}/events/")
    assert response["Content-Type"] == "text/event-stream"
    events = _events(response)
    assert [name for name, _ in events] == ["progress"]
    final = events[-1][1]
    assert final["status"] == "succeeded" and final["stage"] == "done"
    assert "result" not in final


@override_settings(SSE_MAX_SECONDS=0.3)
def test_stream_of_a_waiting_job_closes_after_its_time_budget(anon: Any) -> None:
    pk = upload(anon, wav_bytes(4.0)).json()["id"]
    events = _events(anon.get(f"/api/analyses/{pk}/events/"))
    assert events[0][1]["status"] == "queued" and events[0][1]["progress"] == 0.0


def test_stream_of_missing_job_is_404(anon: Any) -> None:
    response = anon.get("/api/analyses/00000000-0000-0000-0000-000000000000/events/")
    assert response.status_code == 404
    assert Analysis.objects.count() == 0


def _forget_upload_counts() -> None:
    # Only our bucket: in service mode the cache is the shared Redis.
    cache.delete(UploadThrottle.cache_format % {"scope": "uploads", "ident": "127.0.0.1"})


def test_upload_throttle_gives_429_with_retry_after(anon: Any, monkeypatch: Any) -> None:
    _forget_upload_counts()
    now = [1000.0]
    monkeypatch.setattr(SimpleRateThrottle, "timer", lambda self: now[0])
    with override_settings(UPLOAD_RATE="2/min"):
        assert upload(anon, wav_bytes(4.0, seed=1)).status_code == 202
        assert upload(anon, wav_bytes(4.0, seed=2)).status_code == 202
        refused = upload(anon, wav_bytes(4.0, seed=3), HTTP_X_FORWARDED_FOR="10.9.9.9")
        assert refused.status_code == 429  # a forged X-Forwarded-For does not change bucket
        assert refused.json()["code"] == "throttled"
        assert int(refused["Retry-After"]) == 60
        assert anon.get("/api/analyses/").status_code == 200  # reads are not throttled
        now[0] += 61
        assert upload(anon, wav_bytes(4.0, seed=3)).status_code == 202
    _forget_upload_counts()
