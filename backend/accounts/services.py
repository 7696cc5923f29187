"""API token services: create (or rotate) a user's token, and the digest lookups use."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction

from accounts.models import ApiToken

__all__ = ["TOKEN_BYTES", "TokenExistsError", "api_token_create", "token_digest"]

#: Random bytes of a token (DRF's ``authtoken`` uses 20).
TOKEN_BYTES = 20


class TokenExistsError(Exception):
    """The user has a token and no rotation was asked for (its plaintext cannot be shown)."""


def token_digest(token: str) -> str:
    """Hex SHA-256 of ``token``: what is stored and what a lookup compares."""
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_create(*, user: Any, rotate: bool = False) -> str:
    """Give ``user`` a new token and return its plaintext (stored only as its digest).

    Raises
    ------
    TokenExistsError
        ``user`` has a token and ``rotate`` is off; with ``rotate`` the old one stops working.
    """
    token = secrets.token_hex(TOKEN_BYTES)
    with transaction.atomic():
        existing = ApiToken.objects.select_for_update().filter(user=user)
        if existing.exists():
            if not rotate:
                raise TokenExistsError(f"user {user.get_username()!r} has a token already")
            existing.delete()
        ApiToken.objects.create(digest=token_digest(token), user=user)
    return token
