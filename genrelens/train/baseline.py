"""Scikit-learn baseline on the summary features alone, evaluated on the network's splits."""

from __future__ import annotations

from typing import Literal

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from genrelens.errors import InvalidParameterError
from genrelens.train.data import WindowSet

__all__ = ["BaselineKind", "fit_baseline", "baseline_probs"]

BaselineKind = Literal["logreg", "gboost"]
#: Iteration caps; the summary vectors are small, so these converge in seconds.
LOGREG_MAX_ITER = 2000
GBOOST_MAX_ITER = 200


def fit_baseline(train: WindowSet, *, kind: BaselineKind = "logreg", seed: int = 0) -> Pipeline:
    """Fit a summary-feature classifier on training windows.

    It sees exactly the summary vectors the network's MLP branch sees, so the gap between it
    and the network is what the log-mel patches (and the fusion) add.

    Parameters
    ----------
    train : WindowSet
    kind : {"logreg", "gboost"}
    seed : int

    Returns
    -------
    sklearn.pipeline.Pipeline
        Standardisation followed by the classifier.
    """
    if train.summary.shape[1] == 0:
        raise InvalidParameterError("the baseline needs summary features; this set has none")
    if kind == "logreg":
        clf: LogisticRegression | HistGradientBoostingClassifier = LogisticRegression(
            max_iter=LOGREG_MAX_ITER, C=1.0, random_state=seed
        )
    elif kind == "gboost":
        clf = HistGradientBoostingClassifier(max_iter=GBOOST_MAX_ITER, random_state=seed)
    else:
        raise InvalidParameterError(f"kind must be 'logreg' or 'gboost', got {kind!r}")
    pipe = make_pipeline(StandardScaler(), clf)
    pipe.fit(np.asarray(train.summary, np.float64), train.labels)
    return pipe


def baseline_probs(pipe: Pipeline, summary: np.ndarray, *, n_classes: int) -> np.ndarray:
    """Window probabilities [shape=(n, n_classes)] in label order.

    Classes absent from the training windows get probability 0.
    """
    raw = pipe.predict_proba(np.asarray(summary, np.float64))
    out = np.zeros((summary.shape[0], n_classes))
    out[:, pipe.classes_] = raw
    return out
