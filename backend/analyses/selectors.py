"""Reads of the analyses."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from analyses.models import Analysis

__all__ = ["analysis_get", "analysis_list"]


def analysis_list() -> QuerySet[Analysis]:
    """All analyses, newest first, with what an item shows joined in."""
    return Analysis.objects.select_related("track", "track__artist").order_by("-created_at", "id")


def analysis_get(pk: Any) -> Analysis:
    """One analysis (raises Analysis.DoesNotExist, also for a malformed id)."""
    try:
        return analysis_list().get(pk=pk)
    except (ValidationError, ValueError, TypeError) as exc:
        raise Analysis.DoesNotExist(str(exc)) from exc
