"""Evaluation: accuracy, top-3, macro-F1, per-genre and per-family reports, ECE, confusion PNG."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

from genrelens.errors import InvalidParameterError
from genrelens.predict.unsure import UnsureThresholds, unsure_decision
from genrelens.train.calibrate import expected_calibration_error

__all__ = ["TOP_K", "EvalReport", "evaluate_probs", "selective_summary", "track_level", "plot_confusion"]

#: The "top-k" accuracy reported beside top-1.
TOP_K = 3


@dataclass
class EvalReport:
    """Metrics of one model on one labelled set.

    Parameters
    ----------
    n : int
        Items evaluated (tracks or windows).
    accuracy, top3, macro_f1, ece : float
    per_genre : dict
        ``label -> {precision, recall, f1, support}``.
    family_accuracy : float or None
        Share whose predicted genre is in the true genre's family.
    per_family : dict
        ``family -> {accuracy, family_accuracy, support}`` (genre accuracy within the family,
        and share predicted inside the family).
    labels : list of str
    confusion : np.ndarray [shape=(n_classes, n_classes)]
        Rows true, columns predicted.
    selective : dict or None
        How the unsure flag splits the items (see :func:`selective_summary`).
    """

    n: int
    accuracy: float
    top3: float
    macro_f1: float
    ece: float
    per_genre: dict[str, dict[str, float]]
    family_accuracy: float | None
    per_family: dict[str, dict[str, float]]
    labels: list[str]
    confusion: np.ndarray = field(repr=False)
    selective: dict[str, float] | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form (the confusion matrix as nested lists)."""
        return {
            "n": self.n,
            "accuracy": self.accuracy,
            "top3": self.top3,
            "macro_f1": self.macro_f1,
            "ece": self.ece,
            "family_accuracy": self.family_accuracy,
            "per_genre": self.per_genre,
            "per_family": self.per_family,
            "labels": self.labels,
            "confusion": self.confusion.tolist(),
            "selective": self.selective,
        }

    def format_text(self) -> str:
        """Plain-text report for the terminal."""
        lines = [
            f"items {self.n}  accuracy {self.accuracy:.3f}  top-{TOP_K} {self.top3:.3f}  "
            f"macro-F1 {self.macro_f1:.3f}  ECE {self.ece:.3f}"
            + (f"  family accuracy {self.family_accuracy:.3f}" if self.family_accuracy is not None else ""),
        ]
        if self.selective is not None:
            sel = self.selective
            lines.append(
                f"unsure {sel['flagged']:.1%} (top probability < {sel['min_top_probability']:.2f}, "
                f"margin or entropy)  accuracy when sure {sel['accepted_accuracy']:.3f}  "
                f"sure but wrong {sel['sure_wrong']:.1%}"
            )
        lines += ["", f"{'genre':<24} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}"]
        for label, m in self.per_genre.items():
            lines.append(
                f"{label:<24} {m['precision']:>9.3f} {m['recall']:>7.3f} {m['f1']:>6.3f} "
                f"{int(m['support']):>8d}"
            )
        if self.per_family:
            lines += ["", f"{'family':<24} {'accuracy':>9} {'in-family':>9} {'support':>8}"]
            for fam, m in self.per_family.items():
                lines.append(
                    f"{fam:<24} {m['accuracy']:>9.3f} {m['family_accuracy']:>9.3f} {int(m['support']):>8d}"
                )
        return "\n".join(lines)


def track_level(
    window_probs: np.ndarray, window_labels: np.ndarray, track_ids: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Average window probabilities per track (the same rule as the track breakdown).

    Returns
    -------
    probs : np.ndarray [shape=(n_tracks, n_classes)]
    labels : np.ndarray [shape=(n_tracks,)]
    ids : np.ndarray [shape=(n_tracks,)]
    """
    ids, inverse = np.unique(track_ids, return_inverse=True)
    probs = np.zeros((len(ids), window_probs.shape[1]))
    np.add.at(probs, inverse, window_probs)
    probs /= np.bincount(inverse)[:, None]
    labels = np.zeros(len(ids), dtype=np.int64)
    labels[inverse] = window_labels
    return probs, labels, ids


def selective_summary(
    probs: np.ndarray, y_true: np.ndarray, thresholds: UnsureThresholds
) -> dict[str, float]:
    """How the probability rules of the unsure flag split tracks into answered and flagged.

    Only the probability rules apply here (top probability, margin, entropy); the analysis
    adds the electronic-music gate and the out-of-distribution test on top.

    Returns
    -------
    dict
        ``flagged`` (share flagged unsure), ``accepted_accuracy`` (accuracy of the others; NaN
        when every item is flagged), ``sure_wrong`` (share answered without flag but wrong),
        ``flagged_right`` (count flagged although right), ``min_top_probability``.
    """
    flagged = np.array([unsure_decision(row, thresholds=thresholds).unsure for row in probs])
    right = probs.argmax(axis=1) == y_true
    return {
        "flagged": float(flagged.mean()),
        "accepted_accuracy": float(right[~flagged].mean()) if (~flagged).any() else float("nan"),
        "sure_wrong": float((~flagged & ~right).mean()),
        "flagged_right": float((flagged & right).sum()),
        "min_top_probability": thresholds.min_top_probability,
    }


def evaluate_probs(
    probs: np.ndarray,
    y_true: np.ndarray,
    *,
    labels: Sequence[str],
    family_of: Mapping[str, str] | None = None,
    thresholds: UnsureThresholds | None = None,
) -> EvalReport:
    """Compute every reported metric from probabilities.

    Parameters
    ----------
    probs : np.ndarray [shape=(n, n_classes)]
        Calibrated probabilities (tracks or windows).
    y_true : np.ndarray [shape=(n,)]
        Class indices.
    labels : sequence of str
    family_of : mapping of genre to family, or None
    thresholds : UnsureThresholds or None
        When given, the report says how often these would flag the items unsure.

    Returns
    -------
    EvalReport
    """
    if probs.ndim != 2 or probs.shape[0] != len(y_true) or probs.shape[1] != len(labels):
        raise InvalidParameterError(
            f"probs {probs.shape}, y_true ({len(y_true)},) and {len(labels)} labels do not fit"
        )
    if probs.shape[0] == 0:
        raise InvalidParameterError("nothing to evaluate")
    k = len(labels)
    pred = probs.argmax(axis=1)
    topk = np.argsort(probs, axis=1)[:, ::-1][:, : min(TOP_K, k)]
    classes = np.arange(k)
    prec, rec, f1, support = precision_recall_fscore_support(y_true, pred, labels=classes, zero_division=0)
    present = np.unique(y_true)
    per_genre = {
        labels[c]: {
            "precision": float(prec[c]),
            "recall": float(rec[c]),
            "f1": float(f1[c]),
            "support": float(support[c]),
        }
        for c in range(k)
        if support[c] > 0 or (pred == c).any()
    }
    family_accuracy = None
    per_family: dict[str, dict[str, float]] = {}
    if family_of is not None:
        fam_true = np.array([family_of.get(labels[c], labels[c]) for c in y_true])
        fam_pred = np.array([family_of.get(labels[c], labels[c]) for c in pred])
        family_accuracy = float((fam_true == fam_pred).mean())
        for fam in sorted(set(fam_true.tolist())):
            mask = fam_true == fam
            per_family[fam] = {
                "accuracy": float((pred[mask] == y_true[mask]).mean()),
                "family_accuracy": float((fam_pred[mask] == fam).mean()),
                "support": float(mask.sum()),
            }
    return EvalReport(
        n=int(probs.shape[0]),
        accuracy=float((pred == y_true).mean()),
        top3=float((topk == y_true[:, None]).any(axis=1).mean()),
        macro_f1=float(f1_score(y_true, pred, labels=present, average="macro", zero_division=0)),
        ece=expected_calibration_error(probs, y_true),
        per_genre=per_genre,
        family_accuracy=family_accuracy,
        per_family=per_family,
        labels=list(labels),
        confusion=confusion_matrix(y_true, pred, labels=classes),
        selective=None if thresholds is None else selective_summary(probs, y_true, thresholds),
    )


def plot_confusion(report: EvalReport, path: str | os.PathLike[str], *, title: str) -> None:
    """Write the row-normalised confusion matrix as a PNG.

    Parameters
    ----------
    report : EvalReport
    path : path-like
    title : str
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cm = report.confusion.astype(np.float64)
    rows = cm.sum(axis=1, keepdims=True)
    norm = np.divide(cm, rows, out=np.zeros_like(cm), where=rows > 0)
    k = len(report.labels)
    size = max(5.0, 0.22 * k + 2.5)
    fig, ax = plt.subplots(figsize=(size, size))
    try:
        im = ax.imshow(norm, cmap="viridis", vmin=0.0, vmax=1.0)
        ax.set_xticks(range(k), report.labels, rotation=90, fontsize=6 if k > 20 else 9)
        ax.set_yticks(range(k), report.labels, fontsize=6 if k > 20 else 9)
        ax.set_xlabel("predicted")
        ax.set_ylabel("true")
        ax.set_title(f"{title}\naccuracy {report.accuracy:.3f}, macro-F1 {report.macro_f1:.3f}")
        fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04)
        fig.tight_layout()
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=110)
    finally:
        plt.close(fig)
