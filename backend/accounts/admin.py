"""Admin pages of the accounts: tokens are listed by digest prefix, never created here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from rest_framework.authtoken.models import TokenProxy

from accounts.models import ApiToken

__all__ = ["ApiTokenAdmin"]

# DRF's token page would create plaintext tokens that no longer authenticate anyone.
if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Revoke a token by deleting it; new ones come from ``manage.py create_api_token``."""

    list_display = ("user", "created_at", "digest_prefix")
    fields = ("user", "created_at")
    readonly_fields = ("user", "created_at")

    @admin.display(description="digest")
    def digest_prefix(self, token: ApiToken) -> str:
        return f"{token.digest[:8]}..."

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
