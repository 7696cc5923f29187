"""Output shapes of the analysis API (API_CONTRACT.md): the job, its track and its result."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from analyses.models import Analysis
from catalog.models import Track
from catalog.serializers import TrackBaseSerializer

__all__ = [
    "AnalysisCreatedSerializer",
    "AnalysisSerializer",
    "AnalysisStateSerializer",
    "BatchCreatedSerializer",
    "analysis_url",
]


def analysis_url(analysis: Analysis) -> str:
    """Path of the analysis resource: ``/api/analyses/<id>/``."""
    return reverse("analysis-detail", kwargs={"pk": analysis.pk})


class ErrorSerializer(serializers.Serializer):
    message = serializers.CharField()
    code = serializers.CharField()


class AnalysisTrackSerializer(TrackBaseSerializer):
    """The analysed track, with its original file name and where to download it."""

    original_filename = serializers.CharField()
    audio_url = serializers.SerializerMethodField()

    def get_audio_url(self, track: Track) -> str:
        return reverse("track-audio", kwargs={"pk": track.pk})


#: Most digests one ``known`` request may ask about (a folder is asked about in slices).
KNOWN_DIGESTS_MAX = 500


class AnalysisStateSerializer(serializers.Serializer):
    """The job without its result: list items and SSE ``progress`` events."""

    id = serializers.UUIDField()
    url = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=Analysis.Status.choices)
    stage = serializers.ChoiceField(choices=Analysis.Stage.choices)
    progress = serializers.FloatField()
    error = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    model_version = serializers.SerializerMethodField()
    reused = serializers.SerializerMethodField()
    track = AnalysisTrackSerializer()

    def get_url(self, analysis: Analysis) -> str:
        return analysis_url(analysis)

    @extend_schema_field(ErrorSerializer(allow_null=True))
    def get_error(self, analysis: Analysis) -> dict[str, str] | None:
        if analysis.status != Analysis.Status.FAILED:
            return None
        return {"message": analysis.error_message, "code": analysis.error_code}

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_model_version(self, analysis: Analysis) -> str | None:
        return analysis.model_version or None

    def get_reused(self, analysis: Analysis) -> bool:
        return bool(self.context.get("reused", False))


class AnalysisSerializer(AnalysisStateSerializer):
    """The job with its result JSON (docs/architecture.md) once it succeeded."""

    result = serializers.JSONField(allow_null=True)


class AnalysisCreatedSerializer(serializers.Serializer):
    """The 202 body of an accepted upload."""

    id = serializers.UUIDField()
    url = serializers.CharField()
    status = serializers.CharField()
    stage = serializers.CharField()
    progress = serializers.FloatField()
    reused = serializers.BooleanField()
    track_id = serializers.UUIDField(help_text="The stored track (to label it, say).")

    @staticmethod
    def build(analysis: Analysis, *, reused: bool) -> dict[str, Any]:
        """The body for ``analysis``."""
        return {"id": analysis.pk, "url": analysis_url(analysis), "status": analysis.status,
                "stage": analysis.stage, "progress": analysis.progress, "reused": reused,
                "track_id": analysis.track_id}


class BatchErrorSerializer(serializers.Serializer):
    filename = serializers.CharField()
    message = serializers.CharField()
    code = serializers.CharField()


class BatchCreatedSerializer(serializers.Serializer):
    analyses = AnalysisCreatedSerializer(many=True)
    errors = BatchErrorSerializer(many=True)


class KnownRequestSerializer(serializers.Serializer):
    """The body of ``POST /api/analyses/known/``: SHA-256 digests of files about to be sent."""

    sha256 = serializers.ListField(
        child=serializers.RegexField(r"^[0-9a-fA-F]{64}$", max_length=64),
        max_length=KNOWN_DIGESTS_MAX, allow_empty=True)


class KnownItemSerializer(serializers.Serializer):
    sha256 = serializers.CharField()
    analysis = AnalysisCreatedSerializer()


class KnownSerializer(serializers.Serializer):
    known = KnownItemSerializer(many=True)
