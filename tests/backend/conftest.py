"""Fixtures of the backend tests: generated audio, users and tokens, a tiny taxonomy, results.

Django is configured by pytest-django from pyproject.toml (``config.settings.test``, with
``backend/`` on the path). Audio is generated from ``np.random.default_rng(440)``; nothing is
committed.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from backend_helpers import wav_bytes
from django.core.management import call_command
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def empty_upload_root() -> None:
    """Each test starts with no stored uploads (test transactions roll rows back, not files)."""
    from django.conf import settings

    root = Path(settings.UPLOAD_ROOT)
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)


@pytest.fixture(autouse=True)
def no_kept_library_vectors() -> None:
    """Each test builds its library's vectors afresh: a rolled-back database can look unchanged."""
    from catalog.similarity import forget

    forget()


@pytest.fixture(autouse=True)
def no_open_streams(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no progress stream counted open in this process.

    A WSGI server closes every response, which frees its stream slot; Django's test client
    closes a streaming response only once it is read to the end, and tests that check a
    stream's status (not its events) leave it unread, so its slot would stay taken.
    """
    from collections import Counter

    from analyses.streams import stream_slots

    monkeypatch.setattr(stream_slots, "_by_client", Counter())


@pytest.fixture
def taxonomy(db: Any) -> Any:
    """data/taxonomy.yaml, loaded with the real ``load_genres`` command; returns the core's view."""
    from genrelens.taxonomy import load_taxonomy

    call_command("load_genres", stdout=io.StringIO())
    return load_taxonomy()


@pytest.fixture
def anon() -> APIClient:
    """An anonymous API client."""
    return APIClient()


@pytest.fixture
def make_user(db: Any) -> Callable[..., tuple[Any, APIClient]]:
    """Create a user and return it with a client that sends its token."""
    from django.contrib.auth import get_user_model

    def make(username: str, *, staff: bool = False) -> tuple[Any, APIClient]:
        user = get_user_model().objects.create_user(username=username, is_staff=staff)
        from accounts.services import api_token_create

        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user)}")
        return user, api
    return make


@pytest.fixture
def make_scored_track(db: Any, tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """Create a stored track whose current analysis has the given result (via the services)."""
    from analyses.models import Analysis
    from analyses.services import analysis_scores_store
    from catalog.models import Track
    from catalog.services import artist_get_or_create
    from catalog.storage import upload_store

    counter = iter(range(10_000))

    def make(title: str, result: dict[str, Any], *, artist: str = "", owner: Any = None) -> Track:
        source = tmp_path / f"src-{next(counter)}.wav"
        source.write_bytes(wav_bytes(3.5, seed=next(counter)))
        track = Track.objects.create(
            sha256=f"{next(counter):064d}", owner=owner, size_bytes=source.stat().st_size,
            stored_name=upload_store(source, extension="wav"), original_filename=f"{title}.wav",
            format="wav", mime="audio/wav", title=title,
            artist=artist_get_or_create(name=artist))
        analysis = Analysis.objects.create(track=track, owner=owner,
                                           status=Analysis.Status.SUCCEEDED,
                                           stage=Analysis.Stage.DONE, progress=1.0,
                                           result=result, model_version="test")
        analysis_scores_store(analysis, result)
        track.refresh_from_db()
        return track

    yield make
