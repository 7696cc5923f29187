"""App configuration of the analyses."""

from __future__ import annotations

from django.apps import AppConfig

__all__ = ["AnalysesConfig"]


class AnalysesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "analyses"
