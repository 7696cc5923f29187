"""CPU inference: the shipped checkpoint, batch-consistent and deterministic window predictions."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import torch

from genrelens.errors import InvalidParameterError, ModelMismatchError
from genrelens.model.aggregate import TrackBreakdown, aggregate_track
from genrelens.model.calibrate import softmax
from genrelens.model.checkpoint import Checkpoint, load_checkpoint
from genrelens.model.config import FeatureParams
from genrelens.model.fast import OnnxRunner, onnxruntime_available
from genrelens.model.identity import DEFAULT_WEIGHTS, default_weights_path
from genrelens.model.network import GenreNet
from genrelens.model.unsure import UnsureDecision, UnsureThresholds, ood_distances, unsure_decision

__all__ = [
    "DEFAULT_WEIGHTS",
    "INFER_BATCH",
    "LOW_SIGNAL_DB",
    "Backend",
    "NetworkOutputs",
    "TrackPrediction",
    "GenreModel",
    "default_weights_path",
    "run_network",
]

Backend = Literal["auto", "onnx", "torch"]

#: Windows per forward pass at inference (a fixed chunk keeps memory flat on long mixes).
INFER_BATCH = 64
#: A window whose mean frame RMS (summary feature ``rms_db``) is below this is silent [dB].
LOW_SIGNAL_DB = -60.0


@dataclass(frozen=True)
class NetworkOutputs:
    """Raw outputs of the network for a set of windows.

    Parameters
    ----------
    logits : np.ndarray [shape=(n, n_classes)]
    fused : np.ndarray [shape=(n, fused_hidden)]
        The fused embedding (input of the classifier), used for out-of-distribution scoring.
    """

    logits: np.ndarray
    fused: np.ndarray


def _validate_inputs(
    net: GenreNet, logmel: np.ndarray, summary: np.ndarray, embedding: np.ndarray | None
) -> None:
    feats = net.config.features
    if logmel.ndim != 3 or logmel.shape[1] != feats.n_mels:
        raise InvalidParameterError(f"logmel must have shape (n, {feats.n_mels}, frames), got {logmel.shape}")
    if summary.ndim != 2 or summary.shape != (logmel.shape[0], feats.n_summary):
        raise InvalidParameterError(
            f"summary must have shape ({logmel.shape[0]}, {feats.n_summary}), got {summary.shape}"
        )
    if embedding is not None and embedding.shape[0] != logmel.shape[0]:
        raise InvalidParameterError(f"embedding has {embedding.shape[0]} rows, logmel has {logmel.shape[0]}")
    for name, arr in (("logmel", logmel), ("summary", summary), ("embedding", embedding)):
        if arr is not None and arr.size and not np.isfinite(arr).all():
            raise InvalidParameterError(f"{name} contains NaN or Inf")


@torch.no_grad()
def run_network(
    net: GenreNet,
    logmel: np.ndarray,
    summary: np.ndarray,
    embedding: np.ndarray | None = None,
    *,
    batch_size: int = INFER_BATCH,
) -> NetworkOutputs:
    """Logits and fused embeddings of windows, in eval mode, in fixed-size chunks.

    Each window's output depends only on that window (eval-mode BatchNorm, no cross-window
    ops), so results match item-by-item calls within float tolerance.

    Parameters
    ----------
    net : GenreNet
    logmel : np.ndarray [shape=(n, n_mels, frames)]
    summary : np.ndarray [shape=(n, n_summary)]
    embedding : np.ndarray [shape=(n, dim)] or None
    batch_size : int

    Returns
    -------
    NetworkOutputs
    """
    _validate_inputs(net, logmel, summary, embedding)
    was_training = net.training
    net.eval()
    n = logmel.shape[0]
    logits = np.zeros((n, net.config.n_classes), dtype=np.float32)
    fused = np.zeros((n, net.config.fused_hidden), dtype=np.float32)
    try:
        for start in range(0, n, batch_size):
            sl = slice(start, start + batch_size)
            emb = None if embedding is None else torch.from_numpy(np.asarray(embedding[sl], np.float32))
            f = net.embed(
                torch.from_numpy(np.asarray(logmel[sl], np.float32)),
                torch.from_numpy(np.asarray(summary[sl], np.float32)),
                emb,
            )
            fused[sl] = f.numpy()
            logits[sl] = net.classify(f).numpy()
    finally:
        net.train(was_training)
    return NetworkOutputs(logits=logits, fused=fused)


@dataclass(frozen=True)
class TrackPrediction:
    """The model's answer for one track.

    Parameters
    ----------
    breakdown : TrackBreakdown
        Genre and family shares and the timeline.
    decision : UnsureDecision
        Whether the answer is flagged unsure, and why.
    window_probs : np.ndarray [shape=(n, n_classes)]
    silent_windows : np.ndarray [shape=(n,), dtype=bool]
        Windows left out of the track shares for lack of signal.
    """

    breakdown: TrackBreakdown
    decision: UnsureDecision
    window_probs: np.ndarray
    silent_windows: np.ndarray


class GenreModel:
    """A loaded genre checkpoint ready for CPU inference.

    Parameters
    ----------
    checkpoint : Checkpoint

    Examples
    --------
    >>> model = GenreModel.load()                       # doctest: +SKIP
    >>> probs = model.predict_windows(logmel, summary)  # doctest: +SKIP
    """

    def __init__(self, checkpoint: Checkpoint, *, backend: Backend = "auto", threads: int = 2) -> None:
        self.checkpoint = checkpoint
        self.net = checkpoint.net.eval()
        self.runner: OnnxRunner | None = None
        graph = checkpoint.onnx_graph
        if backend == "onnx" and (graph is None or not onnxruntime_available()):
            raise ModelMismatchError(
                "ONNX backend requested but the checkpoint has no graph or onnxruntime is missing"
            )
        if backend in ("auto", "onnx") and graph is not None and onnxruntime_available():
            self.runner = OnnxRunner(graph, reference=self.net, threads=threads)
        else:
            self.net.set_channels_last(True)

    @property
    def backend(self) -> str:
        """``"onnx"`` (ONNX Runtime) or ``"torch"`` (eager, channels-last)."""
        return "onnx" if self.runner is not None else "torch"

    @classmethod
    def load(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        expected_features: FeatureParams | None = None,
        backend: Backend = "auto",
    ) -> GenreModel:
        """Load a checkpoint (the shipped default when ``path`` is None).

        Raises
        ------
        ModelMismatchError
            The file is missing, unreadable, or was trained for other features or code.
        """
        p = Path(path) if path is not None else default_weights_path()
        if not p.is_file():
            raise ModelMismatchError(f"no genre model at {p}", extra={"path": str(p)})
        return cls(load_checkpoint(p, expected_features=expected_features), backend=backend)

    @property
    def thresholds(self) -> UnsureThresholds:
        """Unsure thresholds fitted at training time, or the hand-set defaults."""
        fitted = self.checkpoint.unsure_thresholds
        return UnsureThresholds(**fitted) if fitted else UnsureThresholds()

    @property
    def labels(self) -> tuple[str, ...]:
        """Class labels in output order."""
        return self.checkpoint.config.labels

    @property
    def features(self) -> FeatureParams:
        """Feature parameters the model was trained on."""
        return self.checkpoint.config.features

    def outputs(
        self, logmel: np.ndarray, summary: np.ndarray, embedding: np.ndarray | None = None
    ) -> NetworkOutputs:
        """Raw logits and fused embeddings (see :func:`run_network`), on the chosen backend."""
        if self.runner is None:
            return run_network(self.net, logmel, summary, embedding)
        _validate_inputs(self.net, logmel, summary, embedding)
        parts = [
            self.runner.run(
                logmel[i : i + INFER_BATCH],
                summary[i : i + INFER_BATCH],
                None if embedding is None else embedding[i : i + INFER_BATCH],
            )
            for i in range(0, logmel.shape[0], INFER_BATCH)
        ]
        return NetworkOutputs(
            logits=np.concatenate([p[0] for p in parts]).astype(np.float32),
            fused=np.concatenate([p[1] for p in parts]).astype(np.float32),
        )

    def predict_windows(
        self, logmel: np.ndarray, summary: np.ndarray, embedding: np.ndarray | None = None
    ) -> np.ndarray:
        """Calibrated genre probabilities per window.

        Parameters
        ----------
        logmel : np.ndarray [shape=(n, n_mels, frames)]
        summary : np.ndarray [shape=(n, n_summary)]
        embedding : np.ndarray [shape=(n, dim)] or None

        Returns
        -------
        np.ndarray [shape=(n, n_classes), dtype=float64]
            Rows sum to 1.
        """
        out = self.outputs(logmel, summary, embedding)
        return softmax(out.logits, temperature=self.checkpoint.temperature)

    def predict_track(
        self,
        logmel: np.ndarray,
        summary: np.ndarray,
        starts_s: np.ndarray,
        *,
        family_of: dict[str, str],
        embedding: np.ndarray | None = None,
        low_signal: bool = False,
        electronic_probability: float | None = None,
        window_bpm: np.ndarray | None = None,
        thresholds: UnsureThresholds | None = None,
    ) -> TrackPrediction:
        """Genre breakdown, timeline and unsure decision of one track from all its windows.

        For long audio read in chunks, call :meth:`outputs` per chunk (it keeps only logits
        and fused embeddings) and :meth:`predict_from_outputs` once at the end.

        Parameters
        ----------
        logmel, summary, embedding
            As :meth:`predict_windows`.
        starts_s, family_of, low_signal, electronic_probability, window_bpm, thresholds
            As :meth:`predict_from_outputs`.

        Returns
        -------
        TrackPrediction
        """
        return self.predict_from_outputs(
            self.outputs(logmel, summary, embedding),
            summary,
            starts_s,
            family_of=family_of,
            low_signal=low_signal,
            electronic_probability=electronic_probability,
            window_bpm=window_bpm,
            thresholds=thresholds,
        )

    def predict_from_outputs(
        self,
        outputs: NetworkOutputs,
        summary: np.ndarray,
        starts_s: np.ndarray,
        *,
        family_of: dict[str, str],
        low_signal: bool = False,
        electronic_probability: float | None = None,
        window_bpm: np.ndarray | None = None,
        thresholds: UnsureThresholds | None = None,
    ) -> TrackPrediction:
        """Track answer from the network outputs of all its windows.

        Silent windows (``rms_db`` below :data:`LOW_SIGNAL_DB`) do not vote; a track with no
        audible window is low-signal. Windows far from everything seen in training (the
        checkpoint's OOD statistics) count towards ``out_of_distribution``.

        Parameters
        ----------
        outputs : NetworkOutputs
            Of every window, in order (concatenate per-chunk outputs).
        summary : np.ndarray [shape=(n, n_summary)]
        starts_s : np.ndarray [shape=(n,)] [seconds]
        family_of : dict
            Genre slug -> family slug (from the taxonomy).
        low_signal : bool
            The caller's own low-signal finding (e.g. from loudness), OR-ed with the windows'.
        electronic_probability : float or None
            musicnn's electronic score when it was computed.
        window_bpm : np.ndarray [shape=(n,)] or None
        thresholds : UnsureThresholds or None
            None: the checkpoint's own (:attr:`thresholds`).

        Returns
        -------
        TrackPrediction
        """
        probs = softmax(outputs.logits, temperature=self.checkpoint.temperature)
        if summary.shape[0] != probs.shape[0]:
            raise InvalidParameterError(
                f"{summary.shape[0]} summary rows for {probs.shape[0]} window outputs"
            )
        names = self.features.summary_names
        if "rms_db" in names:
            silent = np.asarray(summary[:, names.index("rms_db")] < LOW_SIGNAL_DB)
        else:
            silent = np.zeros(len(probs), dtype=bool)
        audible = ~silent
        ood_fraction = None
        ood = self.checkpoint.ood
        if ood is not None and audible.any():
            dist = ood_distances(ood, outputs.fused[audible])
            ood_fraction = float((dist > ood.threshold).mean())
        breakdown = aggregate_track(
            probs,
            starts_s,
            window_s=self.features.window_s,
            labels=self.labels,
            family_of=family_of,
            weights=audible.astype(np.float64),
            window_bpm=window_bpm,
        )
        decision = unsure_decision(
            breakdown.probs,
            thresholds=thresholds or self.thresholds,
            low_signal=low_signal or not audible.any(),
            electronic_probability=electronic_probability,
            ood_fraction=ood_fraction,
        )
        return TrackPrediction(
            breakdown=breakdown, decision=decision, window_probs=probs, silent_windows=silent
        )
