"""What a genre checkpoint holds for inference, read without torch.

A checkpoint (``genrelens.model.checkpoint``, written with torch at training time) carries the
network's weights and, beside them, everything inference needs: config, labels and feature
parameters, the calibration temperature, the out-of-distribution statistics, the fitted unsure
thresholds and the network exported to ONNX. :func:`read_artifact` reads those with
:mod:`genrelens.model.archive` and refuses any mismatch with the running code, exactly as
:func:`genrelens.model.checkpoint.load_checkpoint` does (both call :func:`artifact_from_payload`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from genrelens.errors import InvalidParameterError, ModelMismatchError
from genrelens.model.archive import ArchiveError, read_torch_archive
from genrelens.model.config import MODEL_CODE_VERSION, FeatureParams, ModelConfig

__all__ = [
    "CHECKPOINT_FORMAT",
    "INFER_BATCH",
    "ModelArtifact",
    "NetworkOutputs",
    "OODStats",
    "artifact_from_payload",
    "check_window_inputs",
    "read_artifact",
]

#: Layout version of the checkpoint dict itself.
CHECKPOINT_FORMAT = 1
#: Windows per forward pass at inference (a fixed chunk keeps memory flat on long mixes).
INFER_BATCH = 64


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


@dataclass(frozen=True)
class OODStats:
    """Class-conditional Gaussian of the fused embedding, for "cannot place this" decisions.

    Parameters
    ----------
    means : np.ndarray [shape=(n_classes, dim), dtype=float32]
    precision : np.ndarray [shape=(dim, dim), dtype=float32]
        Inverse of the shared (tied) covariance.
    threshold : float
        Mahalanobis distance above which a window is out of distribution (a high percentile of
        the training windows' own distances).
    """

    means: np.ndarray
    precision: np.ndarray
    threshold: float

    def to_dict(self) -> dict[str, Any]:
        return {"means": self.means, "precision": self.precision, "threshold": self.threshold}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OODStats:
        """From :meth:`to_dict`, with the arrays as numpy arrays or (CPU) torch tensors."""
        return cls(
            means=np.asarray(data["means"], dtype=np.float32),
            precision=np.asarray(data["precision"], dtype=np.float32),
            threshold=float(data["threshold"]),
        )


@dataclass(frozen=True)
class ModelArtifact:
    """A checkpoint's inference part: everything but the eager weights.

    Parameters
    ----------
    config : ModelConfig
    temperature : float
        Calibration temperature (logits are divided by it).
    ood : OODStats or None
    metrics : dict
        Measured figures recorded at training time (for the model card).
    code_version : str
    onnx_graph : bytes or None
        The network exported to ONNX (see :mod:`genrelens.model.export`).
    unsure_thresholds : dict or None
        Fields of :class:`genrelens.predict.unsure.UnsureThresholds` fitted on validation tracks
        (None: the hand-set defaults).
    """

    config: ModelConfig
    temperature: float = 1.0
    ood: OODStats | None = None
    metrics: dict[str, Any] = field(default_factory=dict)
    code_version: str = MODEL_CODE_VERSION
    onnx_graph: bytes | None = None
    unsure_thresholds: dict[str, float] | None = None


def check_window_inputs(
    config: ModelConfig, logmel: np.ndarray, summary: np.ndarray, embedding: np.ndarray | None
) -> None:
    """Refuse network inputs of the wrong shape or with NaN/Inf (eager and ONNX alike)."""
    feats = config.features
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


def _mismatch(what: str, stored: Any, expected: Any, path: Path) -> ModelMismatchError:
    return ModelMismatchError(
        f"{path.name}: {what} do not match (checkpoint {stored!r}, expected {expected!r})",
        extra={"field": what, "checkpoint": str(stored), "expected": str(expected)},
    )


def _feature_diff(stored: FeatureParams, expected: FeatureParams) -> list[str]:
    a, b = stored.to_dict(), expected.to_dict()
    return [k for k in a if a[k] != b.get(k)]


def artifact_from_payload(
    payload: Any,
    path: Path,
    *,
    expected_features: FeatureParams | None = None,
    expected_labels: tuple[str, ...] | None = None,
    code_version: str = MODEL_CODE_VERSION,
) -> ModelArtifact:
    """Check a checkpoint's dict (tensors as numpy arrays or torch tensors) and keep its metadata.

    Raises
    ------
    ModelMismatchError
        Other format or code version, other labels or feature parameters.
    """
    if not isinstance(payload, dict) or payload.get("format") != CHECKPOINT_FORMAT:
        raise _mismatch(
            "checkpoint format",
            payload.get("format") if isinstance(payload, dict) else None,
            CHECKPOINT_FORMAT,
            path,
        )
    if payload["code_version"] != code_version:
        raise _mismatch("code versions", payload["code_version"], code_version, path)
    config = ModelConfig.from_dict(payload["config"])
    if tuple(payload["labels"]) != config.labels:
        raise _mismatch("labels and config labels", payload["labels"], list(config.labels), path)
    stored_features = FeatureParams.from_dict(payload["feature_params"])
    if stored_features != config.features:
        diff = _feature_diff(stored_features, config.features)
        raise _mismatch("feature params and config", diff, [], path)
    if expected_features is not None and stored_features != expected_features:
        diff = _feature_diff(stored_features, expected_features)
        raise _mismatch(
            f"feature params ({', '.join(diff)})",
            {k: stored_features.to_dict()[k] for k in diff},
            {k: expected_features.to_dict()[k] for k in diff},
            path,
        )
    if expected_labels is not None and tuple(expected_labels) != config.labels:
        raise _mismatch("labels", list(config.labels), list(expected_labels), path)
    graph = payload.get("onnx")
    return ModelArtifact(
        config=config,
        temperature=float(payload["temperature"]),
        ood=OODStats.from_dict(payload["ood"]) if payload.get("ood") else None,
        metrics=dict(payload.get("metrics") or {}),
        code_version=payload["code_version"],
        onnx_graph=None if graph is None else np.asarray(graph, dtype=np.uint8).tobytes(),
        unsure_thresholds=payload.get("unsure_thresholds"),
    )


def read_artifact(
    path: str | os.PathLike[str],
    *,
    expected_features: FeatureParams | None = None,
    expected_labels: tuple[str, ...] | None = None,
    code_version: str = MODEL_CODE_VERSION,
) -> ModelArtifact:
    """Read a checkpoint's inference part without torch, refusing it when anything differs.

    Raises
    ------
    ModelMismatchError
        Unreadable file, or as :func:`artifact_from_payload`.
    """
    p = Path(path)
    try:
        payload = read_torch_archive(p)
    except (OSError, ArchiveError) as exc:
        raise ModelMismatchError(
            f"{p.name}: not a readable GenreLens checkpoint ({type(exc).__name__})",
            extra={"path": str(p)},
        ) from exc
    return artifact_from_payload(
        payload, p, expected_features=expected_features, expected_labels=expected_labels,
        code_version=code_version,
    )
