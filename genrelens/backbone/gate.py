"""'Is this electronic music?': a documented score from musicnn's real-music tags.

For each model, the score is ``e / (e + a)``, where ``e`` is the highest track-level probability
among that model's electronic tags and ``a`` the highest among its tags for acoustic band and
art-music genres and instruments. The gate averages the scores of the models it is given (both
by default: MSD knows genres, MTT knows instruments; on the test signals MSD alone calls a
plucked-string synthesis "electronic", MTT alone gives white noise 0.54). It is a ratio of two
uncalibrated tag probabilities, not a calibrated probability; the result JSON still names it
``electronic_probability`` (docs/architecture.md).

Tags that electronic genres share with others (hip-hop, funk, soul, ambient, chill, experimental)
count on neither side: lo-fi hip-hop, nu-disco and ambient are in the GenreLens taxonomy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from genrelens.backbone.embed import BackboneOutput, ModelName, TrackSummary, load_backbone
from genrelens.backbone.tags import TAGS
from genrelens.errors import InvalidParameterError

__all__ = [
    "ELECTRONIC_TAGS",
    "ACOUSTIC_TAGS",
    "ELECTRONIC_THRESHOLD",
    "ElectronicGate",
    "electronic_score",
    "gate_from_outputs",
    "electronic_gate",
]

#: Tags that say "electronic music", per model.
ELECTRONIC_TAGS: dict[str, tuple[str, ...]] = {
    "msd": ("electronic", "electronica", "electro", "dance", "House"),
    "mtt": ("electronic", "techno", "dance", "synth", "beat", "beats"),
}
#: Tags of acoustic band and art-music genres and instruments, per model.
ACOUSTIC_TAGS: dict[str, tuple[str, ...]] = {
    "msd": (
        "rock", "alternative rock", "classic rock", "indie rock", "hard rock", "metal",
        "heavy metal", "punk", "Progressive rock", "jazz", "blues", "folk", "country", "acoustic",
        "guitar",
    ),
    "mtt": (
        "classical", "classic", "guitar", "rock", "metal", "country", "piano", "violin",
        "strings", "cello", "harp", "harpsichord", "flute", "sitar", "indian", "opera", "choir",
        "choral",
    ),
}  # fmt: skip
#: Score at or above which the gate says "electronic". Fitted on real recordings (the Emotify
#: clips of ../shared/realdev: best balanced pass/flag rate, 5-fold cross-validated by artist;
#: bench/bench_real_fusion.py, docs/model.md): 0.5 let only 0.875 of the electronic clips through.
ELECTRONIC_THRESHOLD = 0.33
#: Keeps the ratio defined when both sides are (numerically) zero.
_EPS = 1e-6


@dataclass(frozen=True)
class ElectronicGate:
    """The gate's answer for one track."""

    probability: float  #: mean of the per-model scores, in [0, 1]
    is_electronic: bool  #: ``probability >= threshold``
    per_model: dict[str, float]  #: each model's ``e / (e + a)``
    evidence: dict[str, list[tuple[str, float]]]  #: each model's top 5 tags (mean probability)
    #: each model's pooled outputs (tag probabilities in ``TAGS[model]`` order, embeddings)
    summaries: dict[str, TrackSummary] = field(default_factory=dict)


def electronic_score(probabilities: np.ndarray, *, model: str) -> np.ndarray:
    """One model's electronic score ``e / (e + a)`` (see the module docstring).

    Parameters
    ----------
    probabilities : np.ndarray [shape=(..., 50)]
        Tag probabilities of ``model``, per patch or pooled.
    model : {"msd", "mtt"}

    Returns
    -------
    score : np.ndarray [shape=(...)]
        In [0, 1]; 1 means only electronic tags fire.
    """
    if model not in TAGS:
        raise InvalidParameterError(f"unknown musicnn model {model!r}")
    probs = np.asarray(probabilities, dtype=np.float64)
    if probs.shape[-1:] != (len(TAGS[model]),):
        raise InvalidParameterError(
            f"probabilities must end in {len(TAGS[model])} tags, got shape {probs.shape}"
        )
    labels = TAGS[model]
    e = probs[..., [labels.index(t) for t in ELECTRONIC_TAGS[model]]].max(axis=-1)
    a = probs[..., [labels.index(t) for t in ACOUSTIC_TAGS[model]]].max(axis=-1)
    score: np.ndarray = (e + _EPS) / (e + a + 2 * _EPS)
    return score


def gate_from_outputs(
    outputs: Sequence[BackboneOutput], *, threshold: float = ELECTRONIC_THRESHOLD
) -> ElectronicGate:
    """The gate from backbone outputs already computed (one per model, same audio)."""
    if not outputs:
        raise InvalidParameterError("the electronic gate needs at least one backbone output")
    if not 0.0 <= threshold <= 1.0:
        raise InvalidParameterError(f"threshold must be in [0, 1], got {threshold}")
    per_model: dict[str, float] = {}
    evidence: dict[str, list[tuple[str, float]]] = {}
    summaries: dict[str, TrackSummary] = {}
    for out in outputs:
        summaries[out.model] = out.summary()
        probabilities = summaries[out.model].probabilities
        per_model[out.model] = float(electronic_score(probabilities, model=out.model))
        evidence[out.model] = out.top_tags(5)
    probability = float(np.mean(list(per_model.values())))
    return ElectronicGate(
        probability=probability,
        is_electronic=probability >= threshold,
        per_model=per_model,
        evidence=evidence,
        summaries=summaries,
    )


def electronic_gate(
    y: np.ndarray,
    *,
    sr: int,
    models: Sequence[ModelName] = ("msd", "mtt"),
    threshold: float = ELECTRONIC_THRESHOLD,
) -> ElectronicGate:
    """Run the gate on a whole signal.

    Parameters
    ----------
    y : np.ndarray [shape=(n,)]
        Mono audio, at least about 3 s.
    sr : int [Hz]
    models : sequence of {"msd", "mtt"}
        Models whose scores are averaged.
    threshold : float
        Score at or above which ``is_electronic`` is True.

    Returns
    -------
    gate : ElectronicGate

    Raises
    ------
    InvalidParameterError, InvalidAudioError, AudioTooShortError
        As :meth:`~genrelens.backbone.embed.MusicnnBackbone.analyze`.
    """
    outputs = [load_backbone(name).analyze(y, sr=sr) for name in models]
    return gate_from_outputs(outputs, threshold=threshold)
