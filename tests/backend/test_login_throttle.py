"""Admin (and browsable API) sign-in is throttled per IP and username (issue 17: 30 wrong
passwords in 6.4 s, all answered 200)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client, RequestFactory

from accounts.login_throttle import LOGIN_LOCKOUT_S, LOGIN_MAX_FAILURES, failure_key

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def admin_user() -> Iterator[Any]:
    user = get_user_model().objects.create_user(username="root", password=PASSWORD,
                                                is_staff=True, is_superuser=True)
    yield user
    # Only our keys: in service mode the cache is the shared Redis.
    for name in ("root", "other"):
        for ip in ("127.0.0.1", "10.0.0.9"):
            cache.delete(failure_key(RequestFactory().get("/", REMOTE_ADDR=ip), name))


def _sign_in(client: Client, path: str, username: str, password: str, **extra: Any) -> Any:
    return client.post(path, {"username": username, "password": password,
                              "next": "/admin/"}, **extra)


@pytest.mark.parametrize("path", ["/admin/login/", "/api/auth/login/"])
def test_wrong_passwords_are_refused_after_the_limit(admin_user: Any, path: str) -> None:
    client = Client()
    for _ in range(LOGIN_MAX_FAILURES):
        assert _sign_in(client, path, "root", "wrong").status_code == 200  # the form again
    refused = _sign_in(client, path, "root", PASSWORD)  # even the right one, now
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(LOGIN_LOCKOUT_S)
    assert "_auth_user_id" not in client.session
    # Another address, or another username, has a count of its own.
    assert _sign_in(Client(), path, "root", PASSWORD, REMOTE_ADDR="10.0.0.9").status_code == 302
    assert _sign_in(client, path, "other", "wrong").status_code == 200


def test_a_successful_sign_in_clears_the_count(admin_user: Any) -> None:
    client = Client()
    for _ in range(LOGIN_MAX_FAILURES - 1):
        _sign_in(client, "/admin/login/", "root", "wrong")
    assert _sign_in(client, "/admin/login/", "root", PASSWORD).status_code == 302
    client.logout()
    for _ in range(LOGIN_MAX_FAILURES - 1):
        assert _sign_in(client, "/admin/login/", "root", "wrong").status_code == 200
    assert _sign_in(client, "/admin/login/", "root", PASSWORD).status_code == 302
