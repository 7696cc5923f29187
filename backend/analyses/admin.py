"""Admin pages of the analyses (read-mostly: the workers own the job state)."""

from __future__ import annotations

from django.contrib import admin

from analyses.models import Analysis

__all__ = ["AnalysisAdmin"]


@admin.register(Analysis)
class AnalysisAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("id", "status", "stage", "progress", "attempts", "created_at", "worker")
    list_filter = ("status", "stage")
    readonly_fields = ("result",)
