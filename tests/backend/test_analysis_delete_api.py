"""DELETE /api/analyses/<id>/: the authorisation matrix (RELIABILITY C5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from backend_helpers import upload, wav_bytes
from django.conf import settings
from rest_framework.test import APIClient

from accounts.models import ApiToken
from analyses.models import Analysis, DeletionAudit
from catalog.models import Track

pytestmark = pytest.mark.django_db


@pytest.fixture
def owned(make_user: Any) -> tuple[Any, APIClient, str]:
    """Alice's (queued) analysis, with Alice's client."""
    alice, api = make_user("alice")
    response = upload(api, wav_bytes(4.0))
    assert response.status_code == 202
    return alice, api, response.json()["id"]


def _stored() -> list[Path]:
    return [p for p in Path(settings.UPLOAD_ROOT).rglob("*") if p.is_file()]


def test_anonymous_gets_401_with_token_challenge(anon: APIClient, owned: Any) -> None:
    response = anon.delete(f"/api/analyses/{owned[2]}/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"
    assert Analysis.objects.filter(pk=owned[2]).exists()


def test_other_user_gets_the_same_404_as_a_missing_id(make_user: Any, owned: Any) -> None:
    _, bob = make_user("bob")
    theirs = bob.delete(f"/api/analyses/{owned[2]}/")
    missing = bob.delete("/api/analyses/00000000-0000-0000-0000-000000000000/")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
    assert Analysis.objects.filter(pk=owned[2]).exists()


def test_owner_deletes_rows_and_file_then_gets_404(
        owned: Any, django_capture_on_commit_callbacks: Any) -> None:
    _, api, pk = owned
    assert len(_stored()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(f"/api/analyses/{pk}/").status_code == 204
    assert not Analysis.objects.exists() and not Track.objects.exists()
    assert _stored() == []
    assert api.delete(f"/api/analyses/{pk}/").status_code == 404
    assert api.get(f"/api/analyses/{pk}/").status_code == 404


def test_staff_may_delete_anonymous_uploads(anon: APIClient, make_user: Any) -> None:
    pk = upload(anon, wav_bytes(4.0)).json()["id"]
    _, staff = make_user("root", staff=True)
    assert staff.delete(f"/api/analyses/{pk}/").status_code == 204
    audit = DeletionAudit.objects.get()
    assert (audit.actor_username, audit.owner_id, audit.owner_username) == ("root", None, "")


def test_a_staff_delete_of_someone_elses_analysis_is_audited(make_user: Any, owned: Any) -> None:
    alice, _, pk = owned
    track = Track.objects.get()
    root, staff = make_user("root", staff=True)
    assert staff.delete(f"/api/analyses/{pk}/").status_code == 204
    audit = DeletionAudit.objects.get()
    assert (audit.actor_id, audit.actor_username) == (root.pk, "root")
    assert (audit.owner_id, audit.owner_username) == (alice.pk, "alice")
    assert (str(audit.analysis_id), audit.track_id) == (pk, track.pk)
    assert (audit.track_sha256, audit.original_filename) == (track.sha256, "track.wav")
    assert audit.track_deleted


def test_deleting_ones_own_analysis_writes_no_audit_row(make_user: Any) -> None:
    _, staff = make_user("root", staff=True)
    pk = upload(staff, wav_bytes(4.0)).json()["id"]
    assert staff.delete(f"/api/analyses/{pk}/").status_code == 204
    assert not DeletionAudit.objects.exists()


def test_revoked_token_is_401(owned: Any) -> None:
    alice, api, pk = owned
    ApiToken.objects.filter(user=alice).delete()
    assert api.delete(f"/api/analyses/{pk}/").status_code == 401
    assert Analysis.objects.filter(pk=pk).exists()


def test_track_kept_while_another_analysis_uses_it(owned: Any) -> None:
    _, api, pk = owned
    second = upload(api, wav_bytes(4.0), reanalyze="true")
    assert second.status_code == 202
    assert api.delete(f"/api/analyses/{pk}/").status_code == 204
    assert Track.objects.count() == 1 and len(_stored()) == 1


def test_malformed_id_is_404_json(anon: APIClient) -> None:
    response = anon.get("/api/analyses/not-a-uuid/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
