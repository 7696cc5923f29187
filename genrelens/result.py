"""The analysis result: typed sections and ``to_dict()``, the JSON the CLI and the API return."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from genrelens.features.energy import Energy
from genrelens.features.rhythm import Rhythm
from genrelens.features.sections import Section
from genrelens.predict.why import WhyItem

__all__ = [
    "RESULT_SCHEMA_VERSION",
    "SourceInfo",
    "TempoInfo",
    "KeyInfo",
    "LoudnessInfo",
    "RhythmInfo",
    "GridInfo",
    "GenreShare",
    "TopGenre",
    "TimelineSegment",
    "Confidence",
    "ModelInfo",
    "AnalysisResult",
]

RESULT_SCHEMA_VERSION = "1"


@dataclass(frozen=True)
class SourceInfo:
    name: str
    format: str
    sample_rate: int
    channels: int
    declared_duration_s: float | None
    duration_analyzed_s: float
    truncated: bool


@dataclass(frozen=True)
class TempoInfo:
    bpm: float | None
    confidence: float
    alternatives: tuple[float, ...]
    stable: bool
    beats_analyzed: int
    #: "measured", or "family:<slug>" when the half or double was taken to fit that family's
    #: tempo convention (``taxonomy.tempo``); ``alternatives`` then holds the measured tempo.
    basis: str = "measured"


@dataclass(frozen=True)
class KeyInfo:
    tonic: str
    mode: str
    name: str
    camelot: str
    confidence: float


@dataclass(frozen=True)
class LoudnessInfo:
    integrated_lufs: float | None
    peak_dbfs: float | None
    dynamic_range_db: float | None


@dataclass(frozen=True)
class RhythmInfo:
    pattern: Rhythm
    onset_rate_hz: float
    pulse_clarity: float


@dataclass(frozen=True)
class GridInfo:
    """The bar grid (``features.downbeats``): a DJ's grid anchor and every bar's start."""

    beats_per_bar: int
    first_beat_s: float
    first_downbeat_s: float
    #: Where the first tracked beat falls in its bar, 1-4 (1: the track starts on a downbeat).
    bar_phase: int
    downbeats_s: list[float]
    confidence: float


@dataclass(frozen=True)
class GenreShare:
    """A genre's or a family's share of the track; ``family`` is None for families."""

    slug: str
    name: str
    probability: float
    family: str | None = None


@dataclass(frozen=True)
class TopGenre:
    slug: str
    name: str
    family: str
    probability: float
    description: str
    image: str
    why: list[WhyItem]


@dataclass(frozen=True)
class TimelineSegment:
    start_s: float
    end_s: float
    top: str | None
    genres: dict[str, float]
    bpm: float | None


@dataclass(frozen=True)
class Confidence:
    unsure: bool
    reasons: list[str]
    top_probability: float | None
    margin: float | None
    electronic_probability: float | None


@dataclass(frozen=True)
class ModelInfo:
    name: str
    version: str


@dataclass(frozen=True)
class SoundInfo:
    """What the track sounds like to musicnn, a network trained on real records: the mean
    penultimate embedding of the electronic gate's patches, per model (``models`` order).

    The library compares tracks by it ("sounds like") and the personal layer learns the user's
    crates on it; it is computed anyway for the gate, so it costs nothing more.
    """

    models: list[str]
    embedding: list[float]


@dataclass(frozen=True)
class AnalysisResult:
    """Everything GenreLens says about one track (schema in docs/architecture.md)."""

    source: SourceInfo
    tempo: TempoInfo
    key: KeyInfo | None
    loudness: LoudnessInfo
    rhythm: RhythmInfo
    grid: GridInfo | None
    energy: Energy
    sections: list[Section]
    #: Start of the first drop that follows another section: the cue point [seconds].
    first_drop_s: float | None
    features: dict[str, float]
    genres: list[GenreShare]
    families: list[GenreShare]
    top: list[TopGenre]
    timeline: list[TimelineSegment]
    confidence: Confidence
    model: ModelInfo | None
    low_signal: bool
    timings: dict[str, float] = field(default_factory=dict)
    #: None where the gate did not run (a near-silent file).
    sound: SoundInfo | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict, ``schema_version`` first."""
        data = asdict(self)
        for share in data["families"]:
            share.pop("family", None)
        return {"schema_version": RESULT_SCHEMA_VERSION, **data}
