"""Reads of the analyses, each limited to what the requesting user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from analyses.models import Analysis
from catalog.selectors import owner_scope

__all__ = ["analysis_get", "analysis_list"]


def analysis_list(*, user: Any) -> QuerySet[Analysis]:
    """The analyses ``user`` may read, newest first, with what an item shows joined in."""
    return (Analysis.objects.filter(owner_scope(user)).select_related("track", "track__artist")
            .order_by("-created_at", "id"))


def analysis_get(pk: Any, *, user: Any, write: bool = False) -> Analysis:
    """One analysis ``user`` may read (or, with ``write``, delete).

    Raises Analysis.DoesNotExist for a missing id and someone else's alike, so the API answers
    both with the same 404 (malformed ids never get here: the URL converter refuses them).
    """
    return (Analysis.objects.filter(owner_scope(user, write=write))
            .select_related("track", "track__artist").get(pk=pk))
