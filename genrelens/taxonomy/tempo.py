"""Tempo as DJ software shows it: the beat tracker's octave resolved into the family's convention.

A beat tracker finds the pulse, not the count: drum & bass is felt at 85 as often as at 170, a
hardstyle kick pattern reads 78 as easily as 156. DJs count each family one way (drum & bass
160-180, hardstyle and hard techno 140-165, dubstep 140 with a half-time feel, downtempo
70-110), and the taxonomy's tempo ranges say so. The measured tempo is kept when it lies inside
the top family's span; otherwise its half or double is taken when that one does and the
answer's families back it, and the result says which evidence chose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from genrelens.taxonomy.loader import Taxonomy
from genrelens.taxonomy.schema import Range

__all__ = ["HALVED_ABOVE_BPM", "TEMPO_TOLERANCE", "TempoReading", "family_tempo_spans",
           "conventional_tempo"]

#: How far outside a family's span a tempo may lie and still count as inside (a fraction).
TEMPO_TOLERANCE = 0.04
#: A tempo up to this [BPM] is never halved: 120-160 is where house, techno, trance, hard
#: techno, garage and breaks are counted as measured, whatever family the genre model leans to.
#: On realdev 17 clips measured at 125-185 BPM were halved into "downtempo" against Essentia's
#: reading; the halvings that agreed with it started at 159.7 BPM, and the rendered clips that
#: need one measure 148 (a half-time downtempo clip, now shown at 148) and 186
#: (docs/benchmarks.md). Chosen on those clips: the top of the techno span.
HALVED_ABOVE_BPM = 160.0


@dataclass(frozen=True)
class TempoReading:
    """A tempo in a family's convention.

    ``basis`` is ``"measured"`` when the beat tracker's tempo was kept, else
    ``"family:<slug>"`` when its half or double was chosen to fit that family's span.
    """

    bpm: float
    basis: str


def family_tempo_spans(taxonomy: Taxonomy) -> dict[str, Range]:
    """Each family's tempo span [BPM]: from the lowest to the highest of its modelled genres."""
    spans: dict[str, Range] = {}
    for genre in taxonomy.genres:
        if not genre.modelled:
            continue
        lo, hi = genre.tempo_bpm
        if genre.family in spans:
            lo, hi = min(lo, spans[genre.family][0]), max(hi, spans[genre.family][1])
        spans[genre.family] = (lo, hi)
    return spans


def _inside(bpm: float, span: Range) -> bool:
    return span[0] * (1 - TEMPO_TOLERANCE) <= bpm <= span[1] * (1 + TEMPO_TOLERANCE)


def _support(bpm: float, families: Sequence[tuple[str, float]], spans: dict[str, Range]) -> float:
    """The share of the genre answer held by families whose span holds ``bpm``."""
    return sum(share for slug, share in families if slug in spans and _inside(bpm, spans[slug]))


def conventional_tempo(bpm: float, *, families: Sequence[tuple[str, float]],
                       spans: dict[str, Range]) -> TempoReading:
    """``bpm``, or its half or double when that lies in the top family's span and the answer's
    families back it more than the measured tempo.

    ``families`` are (slug, share) pairs, the top family first. The measured tempo is kept when
    it lies inside the top family's span. Otherwise the half or double that does is taken only
    when the families whose spans hold it share more of the answer than those whose spans hold
    the measured tempo: on real records the genre model is often wrong, and its top family is
    then no evidence for an octave. A tempo up to ``HALVED_ABOVE_BPM`` is never halved.

    Examples
    --------
    >>> spans = {"drum-and-bass": (160.0, 176.0), "house": (115.0, 130.0),
    ...          "synth-pop": (80.0, 140.0), "downtempo": (65.0, 115.0)}
    >>> conventional_tempo(86.0, families=[("drum-and-bass", 0.9)], spans=spans)
    TempoReading(bpm=172.0, basis='family:drum-and-bass')
    >>> conventional_tempo(124.0, families=[("drum-and-bass", 0.9)], spans=spans).basis
    'measured'
    >>> split = [("drum-and-bass", 0.4), ("downtempo", 0.38), ("synth-pop", 0.22)]
    >>> conventional_tempo(86.0, families=split, spans=spans).basis
    'measured'
    >>> conventional_tempo(128.0, families=[("downtempo", 0.9)], spans=spans).basis
    'measured'
    """
    top = families[0][0] if families else None
    span = spans.get(top) if top is not None else None
    if span is None or bpm <= 0 or _inside(bpm, span):
        return TempoReading(bpm, "measured")
    measured = _support(bpm, families, spans)
    for candidate in (bpm * 2, bpm / 2) if bpm > HALVED_ABOVE_BPM else (bpm * 2,):
        if _inside(candidate, span) and _support(candidate, families, spans) > measured:
            return TempoReading(candidate, f"family:{top}")
    return TempoReading(bpm, "measured")
