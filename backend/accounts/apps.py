"""App configuration of the accounts."""

from __future__ import annotations

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in, user_login_failed

__all__ = ["AccountsConfig"]


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self) -> None:
        from accounts.login_throttle import login_failed, login_succeeded

        user_login_failed.connect(login_failed, dispatch_uid="accounts_login_failed")
        user_logged_in.connect(login_succeeded, dispatch_uid="accounts_login_succeeded")
