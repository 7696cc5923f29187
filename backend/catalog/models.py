"""Catalogue tables: Family and Genre (loaded from the taxonomy), Artist, Track.

A Track is one owner's copy of one audio content (sha256 unique per owner): the same user
uploading the same bytes again reuses it, while another user gets a track (and an analysis id) of
their own, so an upload never tells whether someone else has the same file. The Track also
carries a copy of its current analysis' headline numbers (BPM, key, top genre...) so the library
list filters and sorts on indexed columns without touching the score tables.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

__all__ = ["Family", "Genre", "Artist", "Track"]


class Family(models.Model):
    """A top-level family of genres (``house``, ``techno``...) with its display colour."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=128)
    color = models.CharField(max_length=7)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    record = models.JSONField(default=dict)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.slug


class Genre(models.Model):
    """One taxonomy genre; ``record`` holds the full record of data/taxonomy.yaml."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=128)
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="genres")
    modelled = models.BooleanField(default=False)
    description = models.TextField(blank=True)
    tempo_bpm_min = models.FloatField(null=True)
    tempo_bpm_max = models.FloatField(null=True)
    rhythm = models.CharField(max_length=32, blank=True)
    position = models.PositiveIntegerField(default=0)
    record = models.JSONField(default=dict)

    class Meta:
        ordering = ["position", "slug"]
        indexes = [models.Index(fields=["family", "position"], name="genre_family_position")]

    def __str__(self) -> str:
        return self.slug


class Artist(models.Model):
    """An artist named by a file's tags; ``name_key`` (case-folded) makes names unique."""

    name = models.CharField(max_length=255)
    name_key = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Track(models.Model):
    """One stored audio content, its tags, and the headline numbers of its current analysis."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sha256 = models.CharField(max_length=64)
    #: The uploader; NULL for an anonymous upload (embedded mode).
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.CASCADE, related_name="tracks")
    size_bytes = models.BigIntegerField()
    #: Generated path relative to UPLOAD_ROOT; never derived from user input.
    stored_name = models.CharField(max_length=255, unique=True)
    original_filename = models.CharField(max_length=255, blank=True)
    format = models.CharField(max_length=16)
    mime = models.CharField(max_length=64)
    sample_rate = models.PositiveIntegerField(default=0)
    channels = models.PositiveSmallIntegerField(default=0)
    duration_s = models.FloatField(null=True)
    title = models.CharField(max_length=512, blank=True)
    album = models.CharField(max_length=512, blank=True)
    year = models.PositiveSmallIntegerField(null=True)
    genre_tag = models.CharField(max_length=255, blank=True)
    artist = models.ForeignKey(Artist, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="tracks")
    created_at = models.DateTimeField(auto_now_add=True)
    # Copied from the current (latest succeeded) analysis, for indexed filters and ordering.
    bpm = models.FloatField(null=True)
    key_name = models.CharField(max_length=32, blank=True)
    camelot = models.CharField(max_length=3, blank=True)
    top_genre = models.ForeignKey(Genre, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    top_probability = models.FloatField(null=True)
    family = models.ForeignKey(Family, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    unsure = models.BooleanField(default=True)
    energy = models.PositiveSmallIntegerField(null=True)
    #: The bar grid's anchor and the first-drop cue [seconds], for the DJ exports.
    first_downbeat_s = models.FloatField(null=True)
    first_drop_s = models.FloatField(null=True)
    #: The owner's own genre for the track (a confirmation or a correction of the model's):
    #: what the personal layer learns from.
    label = models.ForeignKey(Genre, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    labelled_at = models.DateTimeField(null=True)
    #: The current analysis' musicnn embedding (``result.sound``) as float32 bytes: what "sounds
    #: like" and the personal layer compare (``genrelens.library.vectors``).
    sound = models.BinaryField(null=True)

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [
            models.Index(fields=["-created_at"], name="track_created"),
            models.Index(fields=["title"], name="track_title"),
            models.Index(fields=["bpm"], name="track_bpm"),
            models.Index(fields=["camelot"], name="track_camelot"),
            models.Index(fields=["top_genre", "-top_probability"], name="track_top_genre"),
            models.Index(fields=["family"], name="track_family"),
            models.Index(fields=["-top_probability"], name="track_top_probability"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["owner", "sha256"], name="track_sha256_per_owner"),
            # NULLs are distinct in a unique index: anonymous uploads need their own constraint.
            models.UniqueConstraint(fields=["sha256"], condition=models.Q(owner__isnull=True),
                                    name="track_sha256_anonymous"),
        ]

    def __str__(self) -> str:
        return self.title or self.original_filename
