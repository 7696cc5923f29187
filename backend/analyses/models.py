"""Analysis jobs and their results: the job row is the source of truth for every worker.

A worker *claims* a job by a conditional update (``queued`` or an expired lease -> ``running``,
``attempts + 1``), keeps the lease alive with heartbeats, and writes the result only while it
still holds that attempt. The per-genre and per-family scores are rows, unique per analysis, so
the library can filter and rank tracks by genre in SQL.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from catalog.models import Family, Genre, Track

__all__ = ["Analysis", "DeletionAudit", "GenreScore", "FamilyScore"]


class Analysis(models.Model):
    """One analysis job of one track."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    class Stage(models.TextChoices):
        QUEUED = "queued"
        DECODING = "decoding"
        FEATURES = "features"
        MODEL = "model"
        DONE = "done"
        FAILED = "failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="analyses")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.CASCADE, related_name="analyses")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.QUEUED)
    progress = models.FloatField(default=0.0)
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    #: When the job's message was last handed to the broker; NULL = not (yet) published.
    dispatched_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=255, blank=True)
    error_code = models.CharField(max_length=64, blank=True)
    error_message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    model_version = models.CharField(max_length=64, blank=True)
    result = models.JSONField(null=True, blank=True)
    #: True for the one analysis whose results the track shows (its latest success).
    is_current = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [
            models.Index(fields=["-created_at"], name="analysis_created"),
            models.Index(fields=["track", "-created_at"], name="analysis_track_created"),
            models.Index(fields=["status", "lease_expires_at"], name="analysis_status_lease"),
            models.Index(fields=["status", "dispatched_at"], name="analysis_status_dispatch"),
            # Answers "has the library changed?" (catalog.similarity) without reading results.
            models.Index(fields=["track", "finished_at"], condition=models.Q(is_current=True),
                         name="analysis_current_finished"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["track"], condition=models.Q(is_current=True),
                                    name="analysis_one_current_per_track"),
        ]

    def __str__(self) -> str:
        return f"{self.id} ({self.status})"


class GenreScore(models.Model):
    """Probability of one genre in one analysis."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="genre_scores")
    genre = models.ForeignKey(Genre, on_delete=models.CASCADE, related_name="scores")
    probability = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["analysis", "genre"],
                                               name="genre_score_unique")]
        indexes = [models.Index(fields=["genre", "-probability"], name="genre_score_rank")]


class FamilyScore(models.Model):
    """Probability of one family in one analysis."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE,
                                 related_name="family_scores")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="scores")
    probability = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["analysis", "family"],
                                               name="family_score_unique")]
        indexes = [models.Index(fields=["family", "-probability"], name="family_score_rank")]


class DeletionAudit(models.Model):
    """A staff user deleted someone else's analysis (and maybe its track): who, what, whose, when.

    Written in the delete's own transaction, so there is no delete without its row. The names
    and ids are copies, not foreign keys, so the row outlives the users and the track.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    actor_id = models.BigIntegerField()
    actor_username = models.CharField(max_length=150)
    #: The owner of what was deleted; NULL for an anonymous upload.
    owner_id = models.BigIntegerField(null=True, blank=True)
    owner_username = models.CharField(max_length=150, blank=True)
    analysis_id = models.UUIDField()
    track_id = models.UUIDField()
    track_sha256 = models.CharField(max_length=64)
    original_filename = models.CharField(max_length=255, blank=True)
    #: Whether the track (and its stored file) went too, being its last analysis.
    track_deleted = models.BooleanField()

    class Meta:
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return f"{self.actor_username} deleted analysis {self.analysis_id} ({self.created_at})"
