"""What is fitted on held-out data once the network is trained: temperature, OOD statistics, unsure limits.

Also the expected calibration error that measures the temperature. Inference only applies
what these fits store in the checkpoint (:mod:`genrelens.predict.infer`, :mod:`genrelens.predict.unsure`).
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from genrelens.errors import InvalidParameterError
from genrelens.model.artifact import OODStats
from genrelens.predict.unsure import UnsureThresholds, ood_distances, unsure_decision

__all__ = [
    "ECE_BINS",
    "OOD_MARGIN",
    "OOD_PERCENTILE",
    "TARGET_ACCEPTED_ACCURACY",
    "expected_calibration_error",
    "fit_ood",
    "fit_temperature",
    "fit_unsure_thresholds",
]

#: Equal-width confidence bins of the expected calibration error (Guo et al. use 15).
ECE_BINS = 15
#: Temperature range of the fit (log-space): a small or perfectly classified validation set
#: drives the unbounded optimum to 0 (infinitely confident), which no new audio justifies.
LOG_T_BOUNDS = (math.log(0.25), math.log(20.0))
#: Percentile of held-out windows' Mahalanobis distances that sets the OOD threshold.
OOD_PERCENTILE = 99.0
#: Factor on that percentile: a validation set of a few hundred windows under-estimates the
#: tail of new in-distribution audio, while noise, speech and solo instruments land several
#: times further away (measured on rendered clips vs. noise and sine-piano audio).
OOD_MARGIN = 1.5
#: Share of validation tracks answered without the unsure flag that must be right: the
#: top-probability limit is fitted so that confident answers meet it on validation clips.
TARGET_ACCEPTED_ACCURACY = 0.85


def fit_temperature(logits: np.ndarray, labels: np.ndarray, *, max_iter: int = 200) -> float:
    """Temperature minimising the negative log-likelihood of held-out labels.

    One scalar cannot change which class wins, so accuracy is untouched; only confidence is
    rescaled to match how often the model is right.

    Parameters
    ----------
    logits : np.ndarray [shape=(n, n_classes)]
        Validation logits (never training logits: those are over-confident by construction).
    labels : np.ndarray [shape=(n,)]
    max_iter : int

    Returns
    -------
    float
        Temperature T in [0.25, 20]; probabilities are ``softmax(logits / T)``.

    References
    ----------
    Guo, Pleiss, Sun, Weinberger: On Calibration of Modern Neural Networks, ICML 2017.
    """
    if logits.ndim != 2 or logits.shape[0] != labels.shape[0] or logits.shape[0] == 0:
        raise InvalidParameterError(
            f"logits {logits.shape} and labels {labels.shape} must be (n, k) and (n,) with n > 0"
        )
    # Training only: importing scipy.optimize here keeps 0.12 s off every analysis cold start.
    from scipy.optimize import minimize_scalar
    from scipy.special import log_softmax

    x = np.asarray(logits, dtype=np.float64)
    rows = np.arange(x.shape[0])
    y = np.asarray(labels, dtype=np.int64)

    def nll(log_t: float) -> float:
        return float(-log_softmax(x / math.exp(log_t), axis=1)[rows, y].mean())

    # One bounded scalar: Brent's method on log T finds the optimum without gradients.
    fit = minimize_scalar(nll, bounds=LOG_T_BOUNDS, method="bounded", options={"maxiter": max_iter})
    return float(math.exp(float(np.clip(fit.x, *LOG_T_BOUNDS))))


def expected_calibration_error(probs: np.ndarray, labels: np.ndarray, *, n_bins: int = ECE_BINS) -> float:
    """Expected calibration error of the top-1 confidence.

    Parameters
    ----------
    probs : np.ndarray [shape=(n, n_classes)]
    labels : np.ndarray [shape=(n,)]
    n_bins : int

    Returns
    -------
    float
        Weighted mean of ``|accuracy - confidence|`` over equal-width confidence bins, in [0, 1].
    """
    if probs.ndim != 2 or probs.shape[0] != labels.shape[0] or probs.shape[0] == 0:
        raise InvalidParameterError(f"probs {probs.shape} and labels {labels.shape} do not fit")
    if n_bins < 1:
        raise InvalidParameterError(f"n_bins must be >= 1, got {n_bins}")
    conf = probs.max(axis=1)
    correct = (probs.argmax(axis=1) == labels).astype(np.float64)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    bins = np.clip(np.digitize(conf, edges[1:-1], right=True), 0, n_bins - 1)
    ece = 0.0
    for b in range(n_bins):
        mask = bins == b
        if mask.any():
            ece += mask.mean() * abs(correct[mask].mean() - conf[mask].mean())
    return float(ece)


def fit_ood(
    fused: np.ndarray,
    labels: np.ndarray,
    *,
    n_classes: int,
    held_out: np.ndarray | None = None,
    percentile: float = OOD_PERCENTILE,
) -> OODStats:
    """Fit a class-conditional Gaussian (tied covariance) to training embeddings.

    A window far (in Mahalanobis distance) from every class mean resembles nothing the model
    was trained on, whatever its softmax says: softmax confidence alone is known to be high on
    inputs unlike the training data. The covariance is shrunk with the Ledoit-Wolf estimate
    (small training sets otherwise make every new window look far away), and the threshold is
    a percentile of *held-out* windows' distances, because training windows sit closer to
    their own means than new windows of the same genres ever do.

    Parameters
    ----------
    fused : np.ndarray [shape=(n, dim)]
        Fused embeddings of training windows (eval mode).
    labels : np.ndarray [shape=(n,)]
    n_classes : int
    held_out : np.ndarray [shape=(m, dim)] or None
        Fused embeddings of validation windows for the threshold (training windows if None).
    percentile : float
        The threshold is :data:`OOD_MARGIN` times this percentile of the held-out distances.

    Returns
    -------
    OODStats

    References
    ----------
    Lee, Lee, Lee, Shin: A Simple Unified Framework for Detecting Out-of-Distribution Samples
    and Adversarial Attacks, NeurIPS 2018. Ledoit, Wolf: A well-conditioned estimator for
    large-dimensional covariance matrices, J. Multivariate Analysis 2004.
    """
    from sklearn.covariance import LedoitWolf

    if fused.ndim != 2 or fused.shape[0] != labels.shape[0] or fused.shape[0] < 2:
        raise InvalidParameterError(f"fused {fused.shape} and labels {labels.shape} do not fit")
    x = np.asarray(fused, dtype=np.float64)
    means = np.zeros((n_classes, x.shape[1]))
    centred = np.empty_like(x)
    for c in range(n_classes):
        mask = labels == c
        if mask.any():
            means[c] = x[mask].mean(axis=0)
            centred[mask] = x[mask] - means[c]
    cov = LedoitWolf(assume_centered=True).fit(centred).covariance_
    precision = np.linalg.pinv(cov, hermitian=True)
    stats = OODStats(means=means.astype(np.float32), precision=precision.astype(np.float32), threshold=0.0)
    present = np.unique(labels)
    reference = x if held_out is None or len(held_out) == 0 else np.asarray(held_out, np.float64)
    dist = ood_distances(stats, reference, classes=present)
    return OODStats(
        means=stats.means,
        precision=stats.precision,
        threshold=OOD_MARGIN * float(np.percentile(dist, percentile)),
    )


def fit_unsure_thresholds(
    track_probs: np.ndarray,
    labels: np.ndarray,
    *,
    target_accuracy: float = TARGET_ACCEPTED_ACCURACY,
    base: UnsureThresholds | None = None,
) -> UnsureThresholds:
    """Raise the top-probability limit until confident validation answers are right often enough.

    Selective classification with a risk target: of the validation tracks that the margin and
    entropy rules do not already flag, accept the most confident ones for as long as their
    accuracy stays at ``target_accuracy`` or above; the limit is the top probability of the
    last one accepted. It never drops below the hand-set floor of ``base``. A model that
    never reaches the target is unsure of nearly everything, which is the honest outcome.

    Parameters
    ----------
    track_probs : np.ndarray [shape=(n, n_classes)]
        Calibrated track-level probabilities of validation tracks.
    labels : np.ndarray [shape=(n,)]
        True class indices.
    target_accuracy : float
    base : UnsureThresholds or None
        Every other limit, and the floor of this one.

    Returns
    -------
    UnsureThresholds

    References
    ----------
    Geifman, El-Yaniv: Selective Classification for Deep Neural Networks, NeurIPS 2017.
    """
    base = base or UnsureThresholds()
    p = np.asarray(track_probs, dtype=np.float64)
    y = np.asarray(labels)
    if p.ndim != 2 or p.shape[0] != y.shape[0] or p.shape[0] == 0:
        raise InvalidParameterError(f"track_probs {p.shape} and labels {y.shape} do not fit")
    if not 0.0 < target_accuracy <= 1.0:
        raise InvalidParameterError(f"target_accuracy must be in (0, 1], got {target_accuracy}")
    relative = replace(base, min_top_probability=0.0)
    candidates = np.array([not unsure_decision(row, thresholds=relative).unsure for row in p])
    top = p.max(axis=1)[candidates]
    right = (p.argmax(axis=1) == y)[candidates]
    order = np.argsort(-top, kind="stable")
    running = np.cumsum(right[order]) / np.arange(1, len(order) + 1)
    meeting = np.flatnonzero(running >= target_accuracy)
    limit = 1.0 if meeting.size == 0 else float(top[order][meeting[-1]])
    return replace(base, min_top_probability=max(base.min_top_probability, limit))
