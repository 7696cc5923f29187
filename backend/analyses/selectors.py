"""Reads of the analyses, each limited to what the requesting user may see."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import Q, QuerySet

from analyses.models import Analysis
from catalog.selectors import owner_scope
from genrelens.model.identity import default_weights_path, installed_model_version

__all__ = ["NO_MODEL_VERSION", "analyses_finished", "analyses_reusable", "analysis_get",
           "analysis_list", "reusable"]

#: ``model_version`` of a result made without a genre model.
NO_MODEL_VERSION = "none"


def analysis_list(*, user: Any, statuses: Collection[str] = ()) -> QuerySet[Analysis]:
    """The analyses ``user`` may read (only those in ``statuses`` when given), newest first,
    with what an item shows joined in."""
    analyses = Analysis.objects.filter(owner_scope(user))
    if statuses:
        analyses = analyses.filter(status__in=statuses)
    return analyses.select_related("track", "track__artist").order_by("-created_at", "id")


def reusable() -> Q:
    """The analyses an upload of the same bytes reuses: still coming, or done by the installed model.

    A queued or running job will use the installed model. A finished result made by another
    model version (before an upgrade) is not reused: the upload queues a fresh analysis. When
    the installed version cannot be told, no finished result with a model is reused.
    """
    version = installed_model_version()
    current = Q(model_version=version if version is not None else NO_MODEL_VERSION)
    if version is None and default_weights_path().is_file():
        current = Q(pk__in=[])
    coming = Q(status__in=[Analysis.Status.QUEUED, Analysis.Status.RUNNING])
    return coming | (Q(status=Analysis.Status.SUCCEEDED) & current)


def analyses_reusable(digests: Collection[str], *, owner: Any) -> dict[str, Analysis]:
    """Of the content digests (SHA-256), those an upload by ``owner`` would not analyse again,
    each with the analysis it would get back (the newest).

    Only ``owner``'s own tracks count, as for the upload's de-duplication, so the answer says
    nothing about anyone else's library. ``owner`` None is the embedded mode's anonymous user.
    """
    found: dict[str, Analysis] = {}
    rows = (Analysis.objects.filter(reusable(), track__sha256__in=list(digests), track__owner=owner)
            .select_related("track").order_by("-created_at"))
    for analysis in rows:
        found.setdefault(analysis.track.sha256, analysis)
    return found


def analysis_get(pk: Any, *, user: Any, write: bool = False) -> Analysis:
    """One analysis ``user`` may read (or, with ``write``, delete).

    Raises Analysis.DoesNotExist for a missing id and someone else's alike, so the API answers
    both with the same 404 (malformed ids never get here: the URL converter refuses them).
    """
    return (Analysis.objects.filter(owner_scope(user, write=write))
            .select_related("track", "track__artist").get(pk=pk))


def analyses_finished(ids: Collection[str]) -> dict[str, tuple[str, str]]:
    """Of the analysis ids, those finished: id -> (status, error line; empty when it succeeded).

    A scan in service mode polls this while the workers run its jobs.
    """
    rows = (Analysis.objects.filter(pk__in=list(ids),
                                    status__in=[Analysis.Status.SUCCEEDED, Analysis.Status.FAILED])
            .values_list("pk", "status", "error_code", "error_message"))
    return {str(pk): (status, f"{message} [{code}]" if status == Analysis.Status.FAILED else "")
            for pk, status, code, message in rows}
