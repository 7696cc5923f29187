"""CPU inference without torch: the shipped checkpoint's ONNX graph, deterministic window predictions."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from genrelens.errors import InvalidParameterError, ModelMismatchError
from genrelens.model.artifact import (
    INFER_BATCH,
    ModelArtifact,
    NetworkOutputs,
    check_window_inputs,
    read_artifact,
)
from genrelens.model.config import FeatureParams
from genrelens.model.fast import OnnxRunner
from genrelens.model.identity import default_weights_path
from genrelens.predict.aggregate import TrackBreakdown, aggregate_track
from genrelens.predict.unsure import UnsureDecision, UnsureThresholds, ood_distances, unsure_decision

__all__ = [
    "LOW_SIGNAL_DB",
    "Runner",
    "softmax",
    "TrackPrediction",
    "GenreModel",
]

#: A window whose mean frame RMS (summary feature ``rms_db``) is below this is silent [dB].
LOW_SIGNAL_DB = -60.0


def softmax(logits: np.ndarray, *, temperature: float = 1.0) -> np.ndarray:
    """Row-wise softmax of ``logits / temperature`` in float64 (rows sum to 1 within 1e-12)."""
    z = np.asarray(logits, dtype=np.float64) / float(temperature)
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: np.ndarray = e / e.sum(axis=1, keepdims=True)
    return out


class Runner(Protocol):
    """Runs the network on one batch of windows: :class:`OnnxRunner`, or an eager one in tests."""

    def run(
        self, logmel: np.ndarray, summary: np.ndarray, embedding: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]: ...


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
    checkpoint : ModelArtifact
        The checkpoint's inference part (:func:`genrelens.model.artifact.read_artifact`).
    runner : Runner
        Runs the network: the checkpoint's ONNX graph (what :meth:`load` gives).

    Examples
    --------
    >>> model = GenreModel.load()                       # doctest: +SKIP
    >>> probs = model.predict_windows(logmel, summary)  # doctest: +SKIP
    """

    def __init__(self, checkpoint: ModelArtifact, runner: Runner) -> None:
        self.checkpoint = checkpoint
        self.runner = runner

    @classmethod
    def load(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        expected_features: FeatureParams | None = None,
        threads: int | None = None,
    ) -> GenreModel:
        """Load a checkpoint (the shipped default when ``path`` is None) onto ONNX Runtime.

        Raises
        ------
        ModelMismatchError
            The file is missing, unreadable, was trained for other features or code, or
            carries no ONNX graph.
        """
        p = Path(path) if path is not None else default_weights_path()
        if not p.is_file():
            raise ModelMismatchError(f"no genre model at {p}", extra={"path": str(p)})
        artifact = read_artifact(p, expected_features=expected_features)
        if artifact.onnx_graph is None:
            raise ModelMismatchError(
                f"{p.name} carries no ONNX graph; save it again with the training extra installed "
                "(genrelens.model.checkpoint.save_checkpoint exports one)",
                extra={"path": str(p)},
            )
        runner = OnnxRunner(artifact.onnx_graph, embedding_dim=artifact.config.embedding_dim, threads=threads)
        return cls(artifact, runner)

    @property
    def thresholds(self) -> UnsureThresholds:
        """Unsure thresholds fitted at training time, or the hand-set defaults.

        The electronic limit is always the gate's own (fitted on real recordings): a checkpoint
        trained on rendered audio only carries a copy of the default it was trained with.
        """
        fitted = {k: v for k, v in (self.checkpoint.unsure_thresholds or {}).items()
                  if k != "min_electronic_probability"}
        return UnsureThresholds(**fitted)

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
        """Raw logits and fused embeddings of windows, in chunks of ``INFER_BATCH``."""
        check_window_inputs(self.checkpoint.config, logmel, summary, embedding)
        if self.checkpoint.config.embedding_dim and embedding is None:
            raise InvalidParameterError("this model needs an embedding input (musicnn)")
        n_classes, width = self.checkpoint.config.n_classes, self.checkpoint.config.fused_hidden
        parts = [
            self.runner.run(
                logmel[i : i + INFER_BATCH],
                summary[i : i + INFER_BATCH],
                None if embedding is None else embedding[i : i + INFER_BATCH],
            )
            for i in range(0, logmel.shape[0], INFER_BATCH)
        ]
        return NetworkOutputs(
            logits=np.concatenate([p[0] for p in parts] or [np.zeros((0, n_classes))]).astype(np.float32),
            fused=np.concatenate([p[1] for p in parts] or [np.zeros((0, width))]).astype(np.float32),
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
