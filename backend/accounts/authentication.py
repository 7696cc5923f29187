"""``Authorization: Token <token>`` authentication by the token's digest."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from accounts.models import ApiToken
from accounts.services import token_digest

__all__ = ["DigestTokenAuthentication"]


class DigestTokenAuthentication(TokenAuthentication):
    """DRF's token authentication (same header, same 401 and ``WWW-Authenticate: Token``),
    looking the token up by its SHA-256."""

    model = ApiToken

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        try:
            token = ApiToken.objects.select_related("user").get(digest=token_digest(key))
        except ApiToken.DoesNotExist:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        return token.user, token
