"""App configuration of the analyses."""

from __future__ import annotations

from django.apps import AppConfig
from django.db.backends.signals import connection_created

__all__ = ["AnalysesConfig"]


class AnalysesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "analyses"

    def ready(self) -> None:
        # The job rows live in the SQLite file the web process and the worker share.
        from config.dbfiles import sqlite_files_private

        connection_created.connect(sqlite_files_private, dispatch_uid="sqlite_files_private")
