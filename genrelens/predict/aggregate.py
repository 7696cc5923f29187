"""Window probabilities to a track's breakdown: genre and family shares and a timeline."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from genrelens.errors import InvalidParameterError
from genrelens.result import TimelineSegment

__all__ = [
    "SEGMENT_SECONDS",
    "TIMELINE_TOP_K",
    "TimelineSegment",
    "TrackBreakdown",
    "track_probabilities",
    "family_probabilities",
    "timeline_segments",
    "aggregate_track",
]

#: Length of one timeline block before merging equal neighbours [seconds].
SEGMENT_SECONDS = 30.0
#: Genres listed per timeline segment.
TIMELINE_TOP_K = 5


@dataclass(frozen=True)
class TrackBreakdown:
    """Aggregated answer for one track.

    Parameters
    ----------
    probs : np.ndarray [shape=(n_classes,)]
        Track probabilities in label order (sum 1).
    genres : list of (str, float)
        All labels sorted by probability, highest first.
    families : list of (str, float)
        Family shares (sums of their genres), highest first.
    timeline : list of TimelineSegment
    """

    probs: np.ndarray
    genres: list[tuple[str, float]]
    families: list[tuple[str, float]]
    timeline: list[TimelineSegment]


def _check_probs(window_probs: np.ndarray) -> np.ndarray:
    p = np.asarray(window_probs, dtype=np.float64)
    if p.ndim != 2 or p.shape[0] == 0 or p.shape[1] < 2:
        raise InvalidParameterError(f"window_probs must be (n >= 1, k >= 2), got {p.shape}")
    if not np.isfinite(p).all():
        raise InvalidParameterError("window_probs contains NaN or Inf")
    return p


def track_probabilities(window_probs: np.ndarray, *, weights: np.ndarray | None = None) -> np.ndarray:
    """Weighted mean of window probabilities.

    Averaging probabilities (not logits) keeps a DJ mix's genres side by side: two halves of
    different genres give two shares near one half each.

    Parameters
    ----------
    window_probs : np.ndarray [shape=(n, n_classes)]
    weights : np.ndarray [shape=(n,)] or None
        E.g. zero for silent windows; all-zero weights fall back to uniform.

    Returns
    -------
    np.ndarray [shape=(n_classes,)]
    """
    p = _check_probs(window_probs)
    w = np.ones(p.shape[0]) if weights is None else np.asarray(weights, dtype=np.float64)
    if w.shape != (p.shape[0],) or (w < 0).any() or not np.isfinite(w).all():
        raise InvalidParameterError(f"weights must be ({p.shape[0]},) finite and >= 0")
    if w.sum() <= 0:
        w = np.ones(p.shape[0])
    out: np.ndarray = (p * w[:, None]).sum(axis=0) / w.sum()
    normalised: np.ndarray = out / out.sum()
    return normalised


def family_probabilities(
    probs: np.ndarray, *, labels: Sequence[str], family_of: Mapping[str, str]
) -> dict[str, float]:
    """Family shares as sums over each family's genres.

    Labels without a family (a user's own genre names) contribute to no family.

    Parameters
    ----------
    probs : np.ndarray [shape=(n_classes,)]
    labels : sequence of str
    family_of : mapping of genre slug to family slug

    Returns
    -------
    dict of str to float
    """
    if len(labels) != len(probs):
        raise InvalidParameterError(f"{len(labels)} labels for {len(probs)} probabilities")
    out: dict[str, float] = {}
    for label, p in zip(labels, probs, strict=True):
        family = family_of.get(label)
        if family is not None:
            out[family] = out.get(family, 0.0) + float(p)
    return out


def timeline_segments(
    window_probs: np.ndarray,
    starts_s: np.ndarray,
    *,
    window_s: float,
    labels: Sequence[str],
    segment_s: float = SEGMENT_SECONDS,
    top_k: int = TIMELINE_TOP_K,
    window_bpm: np.ndarray | None = None,
) -> list[TimelineSegment]:
    """Blocks of ``segment_s`` seconds, neighbours with the same leading genre merged.

    Parameters
    ----------
    window_probs : np.ndarray [shape=(n, n_classes)]
    starts_s : np.ndarray [shape=(n,)] [seconds]
        Start of each window.
    window_s : float [seconds]
    labels : sequence of str
    segment_s : float [seconds]
    top_k : int
    window_bpm : np.ndarray [shape=(n,)] or None

    Returns
    -------
    list of TimelineSegment
        In time order, covering the first window's start to the last window's end.
    """
    p = _check_probs(window_probs)
    starts = np.asarray(starts_s, dtype=np.float64)
    if starts.shape != (p.shape[0],) or len(labels) != p.shape[1]:
        raise InvalidParameterError("starts_s and labels must match window_probs")
    if segment_s <= 0 or window_s <= 0:
        raise InvalidParameterError(f"segment_s ({segment_s}) and window_s ({window_s}) must be > 0")
    order = np.argsort(starts, kind="stable")
    p, starts = p[order], starts[order]
    bpm = None if window_bpm is None else np.asarray(window_bpm, dtype=np.float64)[order]
    block = np.floor((starts - starts[0]) / segment_s).astype(np.int64)
    groups: list[np.ndarray] = [np.flatnonzero(block == b) for b in np.unique(block)]
    merged: list[np.ndarray] = []
    for idx in groups:
        top = int(p[idx].mean(axis=0).argmax())
        if merged and int(p[merged[-1]].mean(axis=0).argmax()) == top:
            merged[-1] = np.concatenate([merged[-1], idx])
        else:
            merged.append(idx)
    segments = []
    for idx in merged:
        mean = p[idx].mean(axis=0)
        best = np.argsort(mean)[::-1][:top_k]
        seg_bpm = None
        if bpm is not None and np.isfinite(bpm[idx]).any():
            seg_bpm = float(np.nanmedian(bpm[idx]))
        segments.append(
            TimelineSegment(
                start_s=float(starts[idx].min()),
                end_s=float(starts[idx].max() + window_s),
                top=labels[int(best[0])],
                genres={labels[int(i)]: float(mean[i]) for i in best},
                bpm=seg_bpm,
            )
        )
    return segments


def aggregate_track(
    window_probs: np.ndarray,
    starts_s: np.ndarray,
    *,
    window_s: float,
    labels: Sequence[str],
    family_of: Mapping[str, str],
    weights: np.ndarray | None = None,
    window_bpm: np.ndarray | None = None,
    segment_s: float = SEGMENT_SECONDS,
) -> TrackBreakdown:
    """Track breakdown from window probabilities (see the three functions it combines).

    Returns
    -------
    TrackBreakdown
    """
    probs = track_probabilities(window_probs, weights=weights)
    order = np.argsort(probs)[::-1]
    families = family_probabilities(probs, labels=labels, family_of=family_of)
    return TrackBreakdown(
        probs=probs,
        genres=[(labels[int(i)], float(probs[i])) for i in order],
        families=sorted(families.items(), key=lambda kv: kv[1], reverse=True),
        timeline=timeline_segments(
            window_probs,
            starts_s,
            window_s=window_s,
            labels=labels,
            segment_s=segment_s,
            window_bpm=window_bpm,
        ),
    )
