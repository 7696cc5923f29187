"""Uploads under stress: racing deletes, conflicts, refused bodies, a downed throttle cache.

Issue 17 cases 2, 3 and 4: a delete racing an upload of the same bytes answered 500 on
PostgreSQL; a 413 left its temporary file open; with Redis down the throttle answered 500.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from backend_helpers import hung_server, upload, wav_bytes
from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.db import IntegrityError, connection
from rest_framework.test import APIClient

from accounts.services import api_token_create
from analyses import services
from analyses.models import Analysis
from analyses.uploads import UploadThrottle
from catalog.models import Track

#: Rounds of the delete/upload race.
RACE_ROUNDS = 4


@pytest.mark.django_db(transaction=True)
def test_a_delete_racing_an_upload_of_the_same_bytes_never_fails(make_user: Any,
                                                                 monkeypatch: Any) -> None:
    """The delete lands while the upload decides whether to reuse the track (the old window)."""
    user, _ = make_user("alice")
    token = api_token_create(user=user, rotate=True)
    entered, deleted = threading.Event(), threading.Event()
    reusable = services._reusable_analysis

    def slowed(track: Track) -> Analysis | None:
        entered.set()
        deleted.wait(timeout=0.5)  # with the track locked the delete waits for us instead
        return reusable(track)

    def client() -> APIClient:
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return api

    def upload_again(data: bytes) -> int:
        try:
            return int(upload(client(), data).status_code)
        finally:
            connection.close()

    def delete(pk: str) -> int:
        try:
            assert entered.wait(timeout=10)
            return int(client().delete(f"/api/analyses/{pk}/").status_code)
        finally:
            deleted.set()
            connection.close()

    for round_ in range(RACE_ROUNDS):
        data = wav_bytes(3.5, seed=300 + round_)
        pk = upload(client(), data).json()["id"]
        entered.clear()
        deleted.clear()
        monkeypatch.setattr(services, "_reusable_analysis", slowed)
        with ThreadPoolExecutor(max_workers=2) as pool:
            uploading = pool.submit(upload_again, data)
            deleting = pool.submit(delete, pk)
            assert (deleting.result(), uploading.result()) in [(204, 202), (204, 200)]
        monkeypatch.setattr(services, "_reusable_analysis", reusable)
    # Every analysis left points at a track that exists (no orphan rows, no lost upload).
    assert not Analysis.objects.exclude(track__in=Track.objects.all()).exists()


@pytest.mark.django_db
def test_an_upload_that_keeps_conflicting_is_409(anon: APIClient, monkeypatch: Any) -> None:
    def always_taken(**fields: Any) -> Track:
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(Track.objects, "create", always_taken)
    response = upload(anon, wav_bytes(4.0))
    assert response.status_code == 409
    assert response.json()["code"] == "upload_conflict"
    assert response.json()["extra"] == {"attempts": services.UPLOAD_ATTEMPTS}
    assert not [p for p in Path(settings.UPLOAD_ROOT).rglob("*") if p.is_file()]


@pytest.mark.django_db
def test_a_refused_upload_leaves_no_temporary_file(anon: APIClient, settings: Any) -> None:
    settings.MAX_UPLOAD_BYTES = 300_000
    response = upload(anon, b"\0" * 300_001)
    assert response.status_code == 413
    # The request (and so its upload handlers) is still alive here: nothing waits for the GC.
    assert response.wsgi_request is not None
    assert list(Path(settings.UPLOAD_TEMP_DIR).iterdir()) == []


@pytest.mark.django_db
def test_a_hung_throttle_cache_holds_an_upload_only_briefly(anon: APIClient, monkeypatch: Any) -> None:
    """A Redis that accepts connections and never answers: redis-py's own 5 s wait per call
    held an upload 5.0 s on a real server (bench/bench_hardening.py)."""
    from config.settings.base import redis_cache

    with hung_server() as port:
        options = redis_cache(f"redis://127.0.0.1:{port}/0")
        monkeypatch.setattr(UploadThrottle, "cache", RedisCache(options["LOCATION"], options))
        started = time.monotonic()
        response = upload(anon, wav_bytes(4.0))
        elapsed = time.monotonic() - started
    assert response.status_code == 202
    assert elapsed < 1.5, elapsed


@pytest.mark.django_db
def test_uploads_go_on_when_the_throttle_cache_is_down(anon: APIClient, monkeypatch: Any) -> None:
    monkeypatch.setattr(UploadThrottle, "cache", RedisCache("redis://127.0.0.1:1/0", {}))
    response = upload(anon, wav_bytes(4.0))
    assert response.status_code == 202
