"""Per-folder figures of one system's answers on real clips (the real-music report's rows).

A clip labelled with a GenreLens family is right when the answer's top family is that family
("open"), or when it is among the folder's own families the most probable one ("restricted":
the model is asked house, techno or trance?). A clip that is only known to be electronic or not
is scored by the electronic gate: electronic clips should pass it, the others be flagged. An
answer not flagged unsure on a non-electronic clip is a wrong answer given with confidence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from genrelens.realmusic.clips import ELECTRONIC, NOT_ELECTRONIC, RealClip

__all__ = ["CURVE_LIMITS", "Answer", "CurvePoint", "FolderMetrics", "coverage_curve",
           "folder_families", "folder_metrics", "majority_share", "restricted_accuracy",
           "sure_counts"]

#: Top-family probabilities at which the coverage / accuracy curve is read.
CURVE_LIMITS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)


@dataclass(frozen=True, kw_only=True)
class Answer:
    """What a system says about one clip."""

    families: dict[str, float]  #: family slug -> probability (any subset; argmax is the answer)
    unsure: bool
    not_electronic: bool  #: the "not electronic" reason was among the unsure reasons

    def top(self, among: Sequence[str] | None = None) -> str | None:
        """The most probable family, over all or over ``among`` only (None when there is none)."""
        items = [(p, f) for f, p in self.families.items() if among is None or f in among]
        return max(items)[1] if items else None


@dataclass(frozen=True, kw_only=True)
class FolderMetrics:
    """One system on one folder. Rates are None where the folder has no clip they apply to."""

    clips: int
    top1_open: float | None
    top1_restricted: float | None
    unsure_rate: float
    sure_answers: int
    sure_accuracy: float | None
    electronic_pass: float | None  #: electronic clips not flagged not-electronic
    not_electronic_flagged: float | None  #: non-electronic clips flagged not-electronic
    not_electronic_unsure: float | None  #: non-electronic clips flagged unsure for any reason


@dataclass(frozen=True, kw_only=True)
class CurvePoint:
    """The answers a limit on the top family's probability would let through, and how many are right."""

    limit: float
    clips: int  #: clips with a right answer to check
    answered: int
    right: int


def coverage_curve(clips: Sequence[RealClip], answers: Sequence[Answer],
                   limits: Sequence[float] = CURVE_LIMITS) -> list[CurvePoint]:
    """Coverage and accuracy if an answer were given whenever it passes the electronic gate and
    its top family reaches the limit: what any unsure limit on the probability could buy.

    Counted as in ``sure_counts``: family-labelled clips are right when the open top family is
    theirs, a non-electronic clip that passes the gate is a wrong answer, electronic-only clips
    have no family to check. A curve that stays flat means the probability does not tell the
    model's right answers from its wrong ones, and no limit on it keeps the "right when sure"
    promise.

    Examples
    --------
    >>> from genrelens.realmusic.clips import RealClip
    >>> from pathlib import Path
    >>> clip = RealClip(path=Path("a.wav"), folder="f", label="house", family="house", group="g")
    >>> sure = Answer(families={"house": 0.9, "techno": 0.1}, unsure=False, not_electronic=False)
    >>> [(p.limit, p.answered, p.right) for p in coverage_curve([clip], [sure], (0.5, 0.95))]
    [(0.5, 1, 1), (0.95, 0, 0)]
    """
    scored = [(c, a) for c, a in zip(clips, answers, strict=True) if c.family != ELECTRONIC]
    points = []
    for limit in limits:
        given = [(c, a) for c, a in scored
                 if not a.not_electronic and a.families and max(a.families.values()) >= limit]
        points.append(CurvePoint(limit=limit, clips=len(scored), answered=len(given),
                                 right=sum(c.has_family and a.top() == c.family for c, a in given)))
    return points


def folder_families(clips: Sequence[RealClip]) -> tuple[str, ...]:
    """The GenreLens families the folder's clips are labelled with, sorted."""
    return tuple(sorted({c.family for c in clips if c.has_family}))


def _mean(values: list[bool]) -> float | None:
    return float(np.mean(values)) if values else None


def restricted_accuracy(clips: Sequence[RealClip], answers: Sequence[str | None]) -> float | None:
    """Share of family-labelled clips whose (restricted) answer is their family."""
    hits = [a == c.family for c, a in zip(clips, answers, strict=True) if c.has_family]
    return _mean(hits)


def majority_share(clips: Sequence[RealClip]) -> float | None:
    """What always answering the folder's most frequent family scores."""
    counts = Counter(c.family for c in clips if c.has_family)
    return max(counts.values()) / sum(counts.values()) if counts else None


def sure_counts(clips: Sequence[RealClip], answers: Sequence[Answer]) -> tuple[int, int]:
    """(answers not flagged unsure, of which right) over clips that have a right answer.

    Family-labelled clips are right when the open top family is theirs; a non-electronic clip
    answered without the unsure flag is wrong; electronic-only clips have no family to check.
    """
    sure = right = 0
    for clip, answer in zip(clips, answers, strict=True):
        if answer.unsure or clip.family == ELECTRONIC:
            continue
        sure += 1
        right += int(clip.has_family and answer.top() == clip.family)
    return sure, right


def folder_metrics(clips: Sequence[RealClip], answers: Sequence[Answer]) -> FolderMetrics:
    """The figures of one system's ``answers`` (same order as ``clips``) on one folder."""
    families = folder_families(clips)
    labelled = [(c, a) for c, a in zip(clips, answers, strict=True) if c.has_family]
    sure, right = sure_counts(clips, answers)
    electronic = [a for c, a in zip(clips, answers, strict=True) if c.family == ELECTRONIC]
    other = [a for c, a in zip(clips, answers, strict=True) if c.family == NOT_ELECTRONIC]
    return FolderMetrics(
        clips=len(clips),
        top1_open=_mean([a.top() == c.family for c, a in labelled]),
        top1_restricted=_mean([a.top(families) == c.family for c, a in labelled]),
        unsure_rate=float(np.mean([a.unsure for a in answers])) if answers else 0.0,
        sure_answers=sure,
        sure_accuracy=right / sure if sure else None,
        electronic_pass=_mean([not a.not_electronic for a in electronic]),
        not_electronic_flagged=_mean([a.not_electronic for a in other]),
        not_electronic_unsure=_mean([a.unsure for a in other]),
    )
