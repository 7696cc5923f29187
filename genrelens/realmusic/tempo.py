"""The tempo-only baseline: one tempo interval per family, fitted cross-validated by group.

A genre model worth shipping has to beat a rule that only reads the measured BPM (issue 13:
"house below 129.5 BPM, trance from 135" beat the network on real clips). The rule sorts the
families by their median tempo in the training clips and cuts the tempo axis into one interval
per family, at the cuts that get the most training clips right (exact, by dynamic programming).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import GroupKFold

from genrelens.errors import InvalidParameterError

__all__ = ["CV_FOLDS", "TempoRule", "fit_tempo_rule", "cross_validated_tempo_rule"]

#: Folds of the group-wise cross-validation (fewer when there are fewer groups).
CV_FOLDS = 5


@dataclass(frozen=True, kw_only=True)
class TempoRule:
    """Families in tempo order and the cuts between them [BPM] (``len(cuts) == len(families) - 1``)."""

    families: tuple[str, ...]
    cuts: tuple[float, ...]

    def predict(self, bpm: np.ndarray) -> np.ndarray:
        """The family of each tempo (a missing tempo is passed as 0 and lands in the slowest)."""
        index = np.searchsorted(np.asarray(self.cuts), np.asarray(bpm, dtype=np.float64), side="right")
        return np.asarray(self.families, dtype=object)[index]


def fit_tempo_rule(bpm: np.ndarray, families: np.ndarray) -> TempoRule:
    """The tempo intervals that classify the most of these clips right.

    Parameters
    ----------
    bpm : np.ndarray [shape=(n,)] [BPM]
        Measured tempo of each clip (0 when none was found).
    families : np.ndarray [shape=(n,)]
        True family of each clip.
    """
    x = np.asarray(bpm, dtype=np.float64)
    y = np.asarray(families, dtype=object)
    if x.shape != y.shape or x.size == 0:
        raise InvalidParameterError(f"bpm {x.shape} and families {y.shape} must be equal, non-empty")
    names = sorted(set(y), key=lambda f: (float(np.median(x[y == f])), f))
    k = len(names)
    order = np.argsort(x, kind="stable")
    xs, ys = x[order], y[order]
    hits = np.array([[ys[i] == f for f in names] for i in range(len(xs))], dtype=np.int64)
    # best[i, c]: most right among the first i clips when the last one's class is at most c.
    n = len(xs)
    best = np.zeros((n + 1, k), dtype=np.int64)
    choice = np.zeros((n + 1, k), dtype=np.int64)
    for i in range(1, n + 1):
        for c in range(k):
            stay = best[i - 1, c] + hits[i - 1, c]
            if c > 0 and best[i, c - 1] >= stay:
                best[i, c], choice[i, c] = best[i, c - 1], choice[i, c - 1]
            else:
                best[i, c], choice[i, c] = stay, c
    assigned = np.zeros(n, dtype=np.int64)
    c = k - 1
    for i in range(n, 0, -1):
        c = int(choice[i, c])
        assigned[i - 1] = c
    cuts = []
    for boundary in range(1, k):
        above = np.flatnonzero(assigned >= boundary)
        below = np.flatnonzero(assigned < boundary)
        if above.size and below.size:
            cuts.append(float((xs[below[-1]] + xs[above[0]]) / 2))
        else:
            cuts.append(float(xs[-1] + 1.0) if not above.size else float(xs[0] - 1.0))
    return TempoRule(families=tuple(names), cuts=tuple(cuts))


def cross_validated_tempo_rule(
    bpm: np.ndarray, families: np.ndarray, groups: np.ndarray, *, folds: int = CV_FOLDS
) -> np.ndarray:
    """Each clip's family from a rule fitted on the other groups' clips (group k-fold)."""
    x = np.asarray(bpm, dtype=np.float64)
    y = np.asarray(families, dtype=object)
    g = np.asarray(groups, dtype=object)
    n_groups = len(set(g))
    if n_groups < 2:
        raise InvalidParameterError("cross-validation by group needs at least two groups")
    out = np.empty(len(y), dtype=object)
    for train, test in GroupKFold(n_splits=min(folds, n_groups)).split(x, y, g):
        out[test] = fit_tempo_rule(x[train], y[train]).predict(x[test])
    return out
