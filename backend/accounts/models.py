"""API tokens, stored as the SHA-256 of the token: the database never holds a usable token.

DRF's ``authtoken.Token`` keeps the token itself as its primary key, so anyone who can read the
database (or a backup) can act as any user (issue 17).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

__all__ = ["ApiToken"]


class ApiToken(models.Model):
    """One user's API token, known by its digest; the plaintext is shown once, at creation."""

    #: Hex SHA-256 of the token the client sends (``Authorization: Token <token>``).
    digest = models.CharField(max_length=64, primary_key=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="api_token")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"token of {self.user_id} ({self.digest[:8]}...)"
