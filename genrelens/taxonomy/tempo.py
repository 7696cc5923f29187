"""Tempo as DJ software shows it: the beat tracker's octave resolved into the family's convention.

A beat tracker finds the pulse, not the count: drum & bass is felt at 85 as often as at 170, a
hardstyle kick pattern reads 78 as easily as 156. DJs count each family one way (drum & bass
160-180, hardstyle and hard techno 140-165, dubstep 140 with a half-time feel, downtempo
70-110), and the taxonomy's tempo ranges say so. The measured tempo is kept when it lies inside
the top family's span; otherwise its half or double is taken when that one does, and the result
says which evidence chose.
"""

from __future__ import annotations

from dataclasses import dataclass

from genrelens.taxonomy.loader import Taxonomy
from genrelens.taxonomy.schema import Range

__all__ = ["TEMPO_TOLERANCE", "TempoReading", "family_tempo_spans", "conventional_tempo"]

#: How far outside a family's span a tempo may lie and still count as inside (a fraction).
TEMPO_TOLERANCE = 0.04


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


def conventional_tempo(bpm: float, *, family: str | None, spans: dict[str, Range]) -> TempoReading:
    """``bpm``, or its half or double when only that lies in ``family``'s span.

    Examples
    --------
    >>> spans = {"drum-and-bass": (160.0, 176.0), "house": (115.0, 130.0)}
    >>> conventional_tempo(86.0, family="drum-and-bass", spans=spans)
    TempoReading(bpm=172.0, basis='family:drum-and-bass')
    >>> conventional_tempo(124.0, family="drum-and-bass", spans=spans).basis
    'measured'
    """
    span = spans.get(family) if family is not None else None
    if span is None or bpm <= 0 or _inside(bpm, span):
        return TempoReading(bpm, "measured")
    for candidate in (bpm * 2, bpm / 2):
        if _inside(candidate, span):
            return TempoReading(candidate, f"family:{family}")
    return TempoReading(bpm, "measured")
