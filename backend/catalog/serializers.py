"""Output shapes of the catalogue API (API_CONTRACT.md): track items, artists, the genre tree."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.models import Genre, Track
from catalog.selectors import PersonalAnswer
from genrelens.library.teach import MIN_GENRES

__all__ = [
    "ArtistDetailSerializer",
    "ArtistItemSerializer",
    "ArtistRefSerializer",
    "FamilyTreeSerializer",
    "GenreDetailSerializer",
    "GenreRefSerializer",
    "GenreScoreSerializer",
    "GenreTrackSerializer",
    "TrackIdsSerializer",
    "PersonalAnswerSerializer",
    "SimilarTrackSerializer",
    "TrackLabelRequestSerializer",
    "TrackItemSerializer",
    "genre_image_url",
]


def genre_image_url(slug: str) -> str:
    """URL of a genre's artwork: ``/static/genre_images/<slug>.png``."""
    return f"{settings.STATIC_URL}genre_images/{slug}.png"


class ArtistRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class GenreScoreSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    family = serializers.CharField()
    probability = serializers.FloatField()


class FamilyScoreSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    probability = serializers.FloatField()


class GenreRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    family = serializers.CharField()


class FamilyRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class TrackBaseSerializer(serializers.Serializer):
    """What every representation of a track starts with: its identity and tags."""

    id = serializers.UUIDField()
    title = serializers.CharField()
    artist = ArtistRefSerializer(allow_null=True)
    album = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    duration_s = serializers.FloatField(allow_null=True)


class TrackItemSerializer(TrackBaseSerializer):
    """One row of the library (GET /api/tracks/)."""

    bpm = serializers.FloatField(allow_null=True)
    key = serializers.SerializerMethodField()
    camelot = serializers.SerializerMethodField()
    energy = serializers.IntegerField(allow_null=True)
    top_genre = serializers.SerializerMethodField()
    family = FamilyRefSerializer(allow_null=True)
    unsure = serializers.BooleanField()
    analysis_id = serializers.UUIDField(allow_null=True)
    created_at = serializers.DateTimeField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_key(self, track: Track) -> str | None:
        return track.key_name or None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_camelot(self, track: Track) -> str | None:
        return track.camelot or None

    @extend_schema_field(GenreScoreSerializer(allow_null=True))
    def get_top_genre(self, track: Track) -> dict[str, Any] | None:
        genre = track.top_genre
        if genre is None:
            return None
        return {"slug": genre.slug, "name": genre.name, "family": genre.family.slug,
                "probability": track.top_probability}


class GenreTrackSerializer(TrackItemSerializer):
    """A track on a genre's page: its list item and the genre's share of it (0..1)."""

    share = serializers.FloatField()


class TrackIdsSerializer(serializers.Serializer):
    """GET /api/tracks/ids/: the first ``MAX_IDS`` matching ids and how many match in all."""

    count = serializers.IntegerField()
    ids = serializers.ListField(child=serializers.UUIDField())
    truncated = serializers.BooleanField()


class SimilarTrackSerializer(TrackItemSerializer):
    """A track in another's "sounds like" list: its list item and the cosine of their
    ``library_vectors`` (sound and genre profile), in [-1, 1]."""

    similarity = serializers.FloatField()


class ArtistItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    track_count = serializers.IntegerField()


class ArtistDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    tracks = TrackItemSerializer(many=True)
    genre_mix = GenreScoreSerializer(many=True)
    family_mix = FamilyScoreSerializer(many=True)


class GenreItemSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    modelled = serializers.BooleanField()
    image_url = serializers.SerializerMethodField()
    tempo_bpm = serializers.SerializerMethodField()
    rhythm = serializers.CharField()

    def get_image_url(self, genre: Genre) -> str:
        return genre_image_url(genre.slug)

    @extend_schema_field(serializers.ListField(child=serializers.FloatField(), allow_null=True))
    def get_tempo_bpm(self, genre: Genre) -> list[float] | None:
        if genre.tempo_bpm_min is None or genre.tempo_bpm_max is None:
            return None
        return [genre.tempo_bpm_min, genre.tempo_bpm_max]


class FamilyTreeSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    color = serializers.CharField()
    description = serializers.CharField()
    genres = GenreItemSerializer(many=True)


class FamilyColorSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    color = serializers.CharField()


class GenreDetailSerializer(serializers.Serializer):
    """The full taxonomy record plus family, image, related genres and top tracks.

    ``tracks`` are those where the genre carries at least ``min_share`` (the selectors'
    ``GENRE_MIN_SHARE``, sent so that the page words its rule from the one owner).

    The record's own fields (description, history, tempo_bpm, sounds...) are passed through as
    they are in data/taxonomy.yaml; the schema lists the fields the API adds or reshapes.
    """

    slug = serializers.CharField()
    name = serializers.CharField()
    modelled = serializers.BooleanField()
    family = FamilyColorSerializer()
    image_url = serializers.CharField()
    related = GenreRefSerializer(many=True)
    tracks = GenreTrackSerializer(many=True)
    min_share = serializers.FloatField(help_text="The least share of the genre a listed track has.")

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = dict(instance["record"])
        data.update(super().to_representation(instance))
        return data


class TrackLabelRequestSerializer(serializers.Serializer):
    """The body of ``PUT /api/tracks/<id>/label/``: the genre the track is, by slug."""

    genre = serializers.SlugField(max_length=64)


class LayerEvaluationSerializer(serializers.Serializer):
    labels = serializers.IntegerField(help_text="Labelled tracks in the user's library.")
    genres = serializers.IntegerField(help_text="Distinct genres among them.")
    accuracy = serializers.FloatField(
        allow_null=True, help_text="Leave-one-out accuracy of the personal layer on the labels.")
    shipped_accuracy = serializers.FloatField(
        allow_null=True, help_text="The shipped model's top genre on the same labelled tracks.")


class PersonalAnswerSerializer(serializers.Serializer):
    """A track's label and what the user's personal layer says of it (``catalog.selectors``)."""

    label = GenreRefSerializer(allow_null=True)
    genres = GenreScoreSerializer(many=True, allow_null=True,
                                  help_text="The layer's ranking; null until it can rank.")
    evaluation = LayerEvaluationSerializer()
    min_genres = serializers.IntegerField(help_text="Labelled genres the layer needs.")

    @staticmethod
    def build(track: Track, answer: PersonalAnswer) -> dict[str, Any]:
        """The body for ``track`` and its ``answer``."""
        label = track.label
        return {
            "label": ({"slug": label.slug, "name": label.name, "family": label.family.slug}
                      if label is not None else None),
            "genres": None if answer.ranking is None else [
                {"slug": genre.slug, "name": genre.name, "family": genre.family.slug,
                 "probability": p} for genre, p in answer.ranking],
            "evaluation": vars(answer.evaluation),
            "min_genres": MIN_GENRES,
        }
