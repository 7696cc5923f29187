"""API tokens are stored as their SHA-256 (issue 17: the database held them in plaintext).

The database holds no usable token; a client's token authenticates by its digest; the migration
turns DRF's plaintext rows into digests that still match; ``create_api_token`` prints a token
once and will not show it again.
"""

from __future__ import annotations

import hashlib
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from rest_framework.test import APIClient

from accounts.models import ApiToken
from analyses.models import Analysis

MISSING = "00000000-0000-0000-0000-000000000000"


def _create_token(username: str, *args: str) -> str:
    out = io.StringIO()
    call_command("create_api_token", username, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def _client(token: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


def _authenticated(token: str) -> bool:
    # A DELETE of a missing id: 404 once authenticated, 401 otherwise.
    return _client(token).delete(f"/api/analyses/{MISSING}/").status_code == 404


@pytest.mark.django_db
def test_the_database_holds_only_the_digest() -> None:
    token = _create_token("alice")
    assert len(token) == 40
    stored = ApiToken.objects.get(user__username="alice")
    assert stored.digest == hashlib.sha256(token.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        rows = cursor.fetchall()
        cursor.execute("SELECT count(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0
    assert token not in repr(rows)
    assert _authenticated(token)
    assert not _authenticated(stored.digest)  # the digest itself is no credential


@pytest.mark.django_db
def test_the_token_is_shown_once_and_rotated_on_request() -> None:
    first = _create_token("alice")
    with pytest.raises(CommandError, match="--rotate"):
        _create_token("alice")
    assert _authenticated(first)
    second = _create_token("alice", "--rotate")
    assert second != first
    assert _authenticated(second) and not _authenticated(first)


@pytest.mark.django_db
def test_a_revoked_token_is_401() -> None:
    token = _create_token("alice")
    ApiToken.objects.all().delete()
    response = _client(token).get("/api/analyses/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert Analysis.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_migration_hashes_existing_plaintext_tokens() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", None)])
    old_apps = executor.loader.project_state([("authtoken", "0004_alter_tokenproxy_options")]).apps
    user = get_user_model().objects.create_user(username="old-client")
    plaintext = "0123456789abcdef0123456789abcdef01234567"
    old_apps.get_model("authtoken", "Token").objects.create(key=plaintext, user_id=user.pk)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert ApiToken.objects.get().digest == hashlib.sha256(plaintext.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0
    assert _authenticated(plaintext)  # the old client's token still works
