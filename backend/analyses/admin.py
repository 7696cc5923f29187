"""Admin pages of the analyses (read-mostly: the workers own the job state)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from analyses.models import Analysis, DeletionAudit

__all__ = ["AnalysisAdmin", "DeletionAuditAdmin"]


@admin.register(Analysis)
class AnalysisAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("id", "status", "stage", "progress", "attempts", "created_at", "worker")
    list_filter = ("status", "stage")
    readonly_fields = ("result",)


@admin.register(DeletionAudit)
class DeletionAuditAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: the audit is written by ``analysis_delete`` and never edited."""

    list_display = ("created_at", "actor_username", "owner_username", "analysis_id",
                    "original_filename", "track_deleted")

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
