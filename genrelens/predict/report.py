"""A model's track prediction as the result's genre sections: shares, top genres with the why."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from genrelens.model.identity import default_weights_path
from genrelens.predict.infer import GenreModel, TrackPrediction
from genrelens.predict.why import why_genre
from genrelens.result import Confidence, GenreShare, ModelInfo, TimelineSegment, TopGenre
from genrelens.taxonomy.loader import Taxonomy, load_taxonomy

__all__ = ["TOP_GENRES", "GenreSections", "default_genre_model", "family_map", "genre_sections"]

#: Genres described with their "why" in the result.
TOP_GENRES = 3


@dataclass(frozen=True)
class GenreSections:
    """The parts of an ``AnalysisResult`` that come from the genre model."""

    genres: list[GenreShare]
    families: list[GenreShare]
    top: list[TopGenre]
    timeline: list[TimelineSegment]
    confidence: Confidence
    model: ModelInfo


@cache
def default_genre_model() -> GenreModel | None:
    """The shipped model, loaded once per process; None when no weights are installed."""
    if not default_weights_path().is_file():
        return None
    return GenreModel.load()


def family_map(taxonomy: Taxonomy) -> dict[str, str]:
    """Genre slug -> family slug, for every genre of the taxonomy."""
    return {genre.slug: genre.family for genre in taxonomy.genres}


def _share(taxonomy: Taxonomy, slug: str, probability: float) -> GenreShare:
    if taxonomy.has_genre(slug):
        genre = taxonomy.genre(slug)
        return GenreShare(slug, genre.name, round(probability, 5), genre.family)
    return GenreShare(slug, slug, round(probability, 5), None)  # a user's own label


def _top(taxonomy: Taxonomy, slug: str, probability: float,
         measured: dict[str, float | str]) -> TopGenre:
    if not taxonomy.has_genre(slug):
        return TopGenre(slug, slug, "", round(probability, 5), "", "", [])
    genre = taxonomy.genre(slug)
    profile = {**genre.profile.ranges(), "rhythm": genre.profile.rhythm, "mode": genre.profile.mode}
    return TopGenre(slug, genre.name, genre.family, round(probability, 5), genre.description,
                    genre.image, why_genre(measured, profile, genre_name=genre.name))


def genre_sections(prediction: TrackPrediction, model: GenreModel,
                   measured: dict[str, float | str]) -> GenreSections:
    """Turn ``prediction`` into the result's genre, family, top, timeline and confidence parts.

    ``measured`` holds the track's traits named like the taxonomy profiles (``tempo_bpm``,
    ``bass_weight``, ..., ``rhythm``, ``mode``) for the "why".
    """
    taxonomy = load_taxonomy()
    breakdown, decision = prediction.breakdown, prediction.decision
    genres = [_share(taxonomy, slug, p) for slug, p in breakdown.genres]
    families = [GenreShare(slug, taxonomy.family(slug).name, round(p, 5))
                for slug, p in breakdown.families]
    top = [_top(taxonomy, slug, p, measured) for slug, p in breakdown.genres[:TOP_GENRES]]
    confidence = Confidence(decision.unsure, list(decision.reasons),
                            round(decision.top_probability, 5), round(decision.margin, 5),
                            decision.electronic_probability)
    config = model.checkpoint.config
    return GenreSections(genres, families, top, breakdown.timeline, confidence,
                         ModelInfo(config.name, config.version))

