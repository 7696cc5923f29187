"""POST /api/analyses/known/ (what a folder import need not send) and the list's status filter."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from backend_helpers import upload, wav_bytes

from analyses.models import Analysis
from genrelens.model.identity import installed_model_version

pytestmark = pytest.mark.django_db


def _known(client: Any, digests: list[str]) -> Any:
    return client.post("/api/analyses/known/", {"sha256": digests}, format="json")


def _done(analysis_id: str, *, model_version: str | None) -> None:
    Analysis.objects.filter(pk=analysis_id).update(
        status="succeeded", stage="done", progress=1.0, result={"schema_version": "1"},
        model_version=model_version)


def test_known_lists_the_digests_an_upload_would_reuse(anon: Any) -> None:
    done, coming, stale = wav_bytes(3.0, seed=1), wav_bytes(3.0, seed=2), wav_bytes(3.0, seed=3)
    first = upload(anon, done).json()
    _done(first["id"], model_version=installed_model_version())
    second = upload(anon, coming).json()  # still queued: the job will use the installed model
    third = upload(anon, stale).json()
    _done(third["id"], model_version="an-older-model")  # re-sending it analyses it again
    digests = [hashlib.sha256(data).hexdigest() for data in (done, coming, stale)]
    never_sent = "ab" * 32

    response = _known(anon, [*digests, never_sent.upper()])
    assert response.status_code == 200, response.content
    known = {item["sha256"]: item["analysis"] for item in response.json()["known"]}
    assert set(known) == {digests[0], digests[1]}
    assert known[digests[0]]["id"] == first["id"] and known[digests[0]]["reused"] is True
    assert known[digests[0]]["track_id"] == str(Analysis.objects.get(pk=first["id"]).track_id)
    assert known[digests[1]]["id"] == second["id"] and known[digests[1]]["status"] == "queued"


def test_known_says_nothing_of_another_users_library(settings: Any, make_user: Any) -> None:
    settings.REQUIRE_AUTH_FOR_UPLOAD = True
    _, alice = make_user("alice")
    _, bob = make_user("bob")
    data = wav_bytes(3.0, seed=4)
    first = upload(alice, data).json()
    _done(first["id"], model_version=installed_model_version())
    digest = hashlib.sha256(data).hexdigest()
    assert [item["sha256"] for item in _known(alice, [digest]).json()["known"]] == [digest]
    assert _known(bob, [digest]).json() == {"known": []}


@pytest.mark.parametrize("body", [{"sha256": ["not-hex"]}, {"sha256": "ab" * 32}, {},
                                  {"sha256": ["ab" * 32] * 501}])
def test_bad_known_requests_are_400(anon: Any, body: Any) -> None:
    response = anon.post("/api/analyses/known/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_parameter"


def test_known_needs_an_uploader_when_uploads_do(settings: Any, anon: Any) -> None:
    settings.REQUIRE_AUTH_FOR_UPLOAD = True
    assert _known(anon, ["ab" * 32]).status_code == 401


def test_the_list_filters_by_status(anon: Any) -> None:
    finished = upload(anon, wav_bytes(3.0, seed=5)).json()
    _done(finished["id"], model_version=installed_model_version())
    queued = upload(anon, wav_bytes(3.0, seed=6)).json()
    listed = anon.get("/api/analyses/?status=queued,running").json()
    assert [item["id"] for item in listed["results"]] == [queued["id"]] and listed["count"] == 1
    assert anon.get("/api/analyses/?status=succeeded").json()["count"] == 1
    bad = anon.get("/api/analyses/?status=queued,lost")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_parameter"
