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

__all__ = ["Answer", "FolderMetrics", "folder_families", "folder_metrics", "majority_share",
           "restricted_accuracy", "sure_counts"]


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
