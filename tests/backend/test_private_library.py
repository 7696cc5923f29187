"""A private library (service mode's default): each user reads only their own uploads.

``PUBLIC_LIBRARY`` off: anonymous reads are 401; a signed-in user lists, reads, streams and
downloads only their own analyses and tracks, and someone else's id gets the same 404 as a
missing one; staff see everything (RELIABILITY C5, issue 17 case 1).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from backend_helpers import sample_result, upload, wav_bytes
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

BACKEND = Path(__file__).resolve().parents[2] / "backend"
MISSING = "00000000-0000-0000-0000-000000000000"
DEEP = ("deep-house", "Deep House", "house")


@pytest.fixture(autouse=True)
def private(settings: Any) -> None:
    settings.PUBLIC_LIBRARY = False


@pytest.fixture
def alice(make_user: Any, taxonomy: Any, make_scored_track: Any) -> dict[str, Any]:
    """Alice's scored track (artist "Alice Act") and a queued upload, with her client."""
    user, api = make_user("alice")
    track = make_scored_track("Alpha", sample_result([(*DEEP, 0.9)]), artist="Alice Act",
                              owner=user)
    queued = upload(api, wav_bytes(4.0))
    assert queued.status_code == 202
    return {"user": user, "api": api, "track": str(track.pk), "artist": track.artist_id,
            "analysis": str(track.analyses.get().pk), "queued": queued.json()["id"]}


def _reads(alice: dict[str, Any]) -> list[str]:
    return [f"/api/analyses/{alice['analysis']}/", f"/api/analyses/{alice['queued']}/events/",
            f"/api/tracks/{alice['track']}/", f"/api/tracks/{alice['track']}/audio/",
            f"/api/artists/{alice['artist']}/"]


def test_anonymous_reads_are_401(anon: APIClient, alice: dict[str, Any]) -> None:
    for path in ["/api/analyses/", "/api/tracks/", "/api/artists/", *_reads(alice)]:
        response = anon.get(path)
        assert response.status_code == 401, path
        assert response["WWW-Authenticate"] == "Token", path
        assert response.json()["code"] == "not_authenticated", path


def test_the_taxonomy_stays_open(anon: APIClient, alice: dict[str, Any]) -> None:
    assert anon.get("/api/genres/").status_code == 200
    assert anon.get("/api/health/ready").status_code == 200


def test_another_user_sees_nothing_of_alices(make_user: Any, alice: dict[str, Any]) -> None:
    _, bob = make_user("bob")
    assert bob.get("/api/analyses/").json()["count"] == 0
    assert bob.get("/api/tracks/").json()["count"] == 0
    assert bob.get("/api/artists/").json()["count"] == 0
    assert bob.get("/api/genres/deep-house/").json()["tracks"] == []
    missing = bob.get(f"/api/analyses/{MISSING}/")
    for path in _reads(alice):
        theirs = bob.get(path)
        assert theirs.status_code == 404, path
        assert theirs.json() == missing.json(), path


def test_the_owner_reads_her_own(alice: dict[str, Any]) -> None:
    api = alice["api"]
    assert {a["id"] for a in api.get("/api/analyses/").json()["results"]} == {
        alice["analysis"], alice["queued"]}
    assert api.get("/api/tracks/").json()["count"] == 2
    assert api.get("/api/artists/").json()["results"][0]["track_count"] == 1
    assert [t["title"] for t in api.get("/api/genres/deep-house/").json()["tracks"]] == ["Alpha"]
    for path in _reads(alice):
        assert api.get(path).status_code == 200, path


def test_staff_see_everything(make_user: Any, alice: dict[str, Any]) -> None:
    _, root = make_user("root", staff=True)
    assert root.get("/api/analyses/").json()["count"] == 2
    for path in _reads(alice):
        assert root.get(path).status_code == 200, path


def _public_library_default(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GENRELENS_", "REDIS"))}
    clean.update(env, PYTHONPATH=os.pathsep.join(sys.path), DJANGO_SECRET_KEY="x" * 50)
    done = subprocess.run(
        [sys.executable, "-c", "import config.settings.base as s; print(s.PUBLIC_LIBRARY)"],
        cwd=BACKEND, env=clean, capture_output=True, text=True, timeout=60, check=True)
    return done.stdout.strip()


def test_public_library_is_on_embedded_and_off_in_service_mode(tmp_path: Path) -> None:
    var = str(tmp_path)
    assert _public_library_default(GENRELENS_VAR_DIR=var) == "True"
    assert _public_library_default(GENRELENS_VAR_DIR=var,
                                   REDIS_URL="redis://127.0.0.1:6379/0") == "False"
    assert _public_library_default(GENRELENS_VAR_DIR=var, REDIS_URL="redis://127.0.0.1:6379/0",
                                   GENRELENS_PUBLIC_LIBRARY="1") == "True"
