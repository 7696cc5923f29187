"""Save and load genre checkpoints; loading refuses any mismatch with the running code."""

from __future__ import annotations

import os
import pickle
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from genrelens.errors import ModelMismatchError
from genrelens.model.config import MODEL_CODE_VERSION, FeatureParams, ModelConfig
from genrelens.model.fast import export_onnx, onnx_export_available
from genrelens.model.identity import write_model_summary
from genrelens.model.network import GenreNet

__all__ = [
    "CHECKPOINT_FORMAT",
    "OODStats",
    "Checkpoint",
    "save_checkpoint",
    "load_checkpoint",
    "atomic_torch_save",
]

#: Layout version of the checkpoint dict itself.
CHECKPOINT_FORMAT = 1
#: Permissions of written checkpoints (``mkstemp`` would leave them owner-only).
FILE_MODE = 0o644


@dataclass(frozen=True)
class OODStats:
    """Class-conditional Gaussian of the fused embedding, for "cannot place this" decisions.

    Parameters
    ----------
    means : torch.Tensor [shape=(n_classes, dim)]
    precision : torch.Tensor [shape=(dim, dim)]
        Inverse of the shared (tied) covariance.
    threshold : float
        Mahalanobis distance above which a window is out of distribution (a high percentile of
        the training windows' own distances).
    """

    means: torch.Tensor
    precision: torch.Tensor
    threshold: float

    def to_dict(self) -> dict[str, Any]:
        return {"means": self.means, "precision": self.precision, "threshold": self.threshold}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OODStats:
        return cls(means=data["means"], precision=data["precision"], threshold=float(data["threshold"]))


@dataclass
class Checkpoint:
    """A trained network with everything needed to use it honestly.

    Parameters
    ----------
    config : ModelConfig
    net : GenreNet
        In ``eval()`` mode after loading.
    temperature : float
        Calibration temperature (logits are divided by it).
    ood : OODStats or None
    metrics : dict
        Measured figures recorded at training time (for the model card).
    code_version : str
    onnx_graph : bytes or None
        The network exported to ONNX (see :mod:`genrelens.model.fast`).
    unsure_thresholds : dict or None
        Fields of :class:`genrelens.model.unsure.UnsureThresholds` fitted on validation tracks
        (None: the hand-set defaults).
    """

    config: ModelConfig
    net: GenreNet
    temperature: float = 1.0
    ood: OODStats | None = None
    metrics: dict[str, Any] = field(default_factory=dict)
    code_version: str = MODEL_CODE_VERSION
    onnx_graph: bytes | None = None
    unsure_thresholds: dict[str, float] | None = None


def atomic_torch_save(obj: Any, path: Path) -> None:
    """``torch.save`` via a temporary file and ``os.replace``: a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    os.close(fd)
    try:
        torch.save(obj, tmp)
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def save_checkpoint(ckpt: Checkpoint, path: str | os.PathLike[str], *, export: bool = True) -> None:
    """Write weights, config, labels, feature params, code version, calibration and metrics.

    Parameters
    ----------
    ckpt : Checkpoint
    path : path-like
    export : bool
        Also store the network as an ONNX graph when the ``onnx`` package is importable
        (inference then runs on ONNX Runtime where it is installed).
    """
    graph = ckpt.onnx_graph
    if graph is None and export and onnx_export_available():
        graph = export_onnx(ckpt.net)
    payload: dict[str, Any] = {
        "format": CHECKPOINT_FORMAT,
        "code_version": ckpt.code_version,
        "config": ckpt.config.to_dict(),
        "labels": list(ckpt.config.labels),
        "feature_params": ckpt.config.features.to_dict(),
        "state_dict": {k: v.detach().clone() for k, v in ckpt.net.state_dict().items()},
        "temperature": float(ckpt.temperature),
        "ood": ckpt.ood.to_dict() if ckpt.ood is not None else None,
        "metrics": ckpt.metrics,
        "onnx": None if graph is None else torch.frombuffer(bytearray(graph), dtype=torch.uint8),
        "unsure_thresholds": ckpt.unsure_thresholds,
    }
    atomic_torch_save(payload, Path(path))
    write_model_summary(path, name=ckpt.config.name, version=ckpt.config.version, labels=ckpt.config.labels)


def _mismatch(what: str, stored: Any, expected: Any, path: Path) -> ModelMismatchError:
    return ModelMismatchError(
        f"{path.name}: {what} do not match (checkpoint {stored!r}, expected {expected!r})",
        extra={"field": what, "checkpoint": str(stored), "expected": str(expected)},
    )


def _feature_diff(stored: FeatureParams, expected: FeatureParams) -> list[str]:
    a, b = stored.to_dict(), expected.to_dict()
    return [k for k in a if a[k] != b.get(k)]


def load_checkpoint(
    path: str | os.PathLike[str],
    *,
    expected_features: FeatureParams | None = None,
    expected_labels: tuple[str, ...] | None = None,
    code_version: str = MODEL_CODE_VERSION,
) -> Checkpoint:
    """Load a checkpoint, refusing it when anything it depends on differs.

    Parameters
    ----------
    path : path-like
    expected_features : FeatureParams or None
        The feature parameters of the running extractor; any differing field is refused.
    expected_labels : tuple of str or None
        The label set the caller needs (order included).
    code_version : str
        Network code version of the running code.

    Returns
    -------
    Checkpoint
        With the network in ``eval()`` mode.

    Raises
    ------
    ModelMismatchError
        Unreadable file, other format or code version, other labels or feature parameters,
        or weights whose names or shapes do not fit the stored config.
    """
    p = Path(path)
    try:
        payload = torch.load(p, map_location="cpu", weights_only=True)
    except (OSError, RuntimeError, EOFError, ValueError, pickle.UnpicklingError) as exc:
        raise ModelMismatchError(
            f"{p.name}: not a readable GenreLens checkpoint ({type(exc).__name__})",
            extra={"path": str(p)},
        ) from exc
    if not isinstance(payload, dict) or payload.get("format") != CHECKPOINT_FORMAT:
        raise _mismatch(
            "checkpoint format",
            payload.get("format") if isinstance(payload, dict) else None,
            CHECKPOINT_FORMAT,
            p,
        )
    if payload["code_version"] != code_version:
        raise _mismatch("code versions", payload["code_version"], code_version, p)
    config = ModelConfig.from_dict(payload["config"])
    if tuple(payload["labels"]) != config.labels:
        raise _mismatch("labels and config labels", payload["labels"], list(config.labels), p)
    stored_features = FeatureParams.from_dict(payload["feature_params"])
    if stored_features != config.features:
        raise _mismatch("feature params and config", _feature_diff(stored_features, config.features), [], p)
    if expected_features is not None and stored_features != expected_features:
        diff = _feature_diff(stored_features, expected_features)
        raise _mismatch(
            f"feature params ({', '.join(diff)})",
            {k: stored_features.to_dict()[k] for k in diff},
            {k: expected_features.to_dict()[k] for k in diff},
            p,
        )
    if expected_labels is not None and tuple(expected_labels) != config.labels:
        raise _mismatch("labels", list(config.labels), list(expected_labels), p)
    net = GenreNet(config)
    try:
        net.load_state_dict(payload["state_dict"], strict=True)
    except RuntimeError as exc:
        raise ModelMismatchError(
            f"{p.name}: weights do not fit the stored config: {str(exc).splitlines()[0]}",
            extra={"path": str(p)},
        ) from exc
    net.eval()
    ood = OODStats.from_dict(payload["ood"]) if payload.get("ood") else None
    graph = payload.get("onnx")
    return Checkpoint(
        config=config,
        net=net,
        temperature=float(payload["temperature"]),
        ood=ood,
        metrics=dict(payload.get("metrics") or {}),
        code_version=payload["code_version"],
        onnx_graph=None if graph is None else graph.numpy().tobytes(),
        unsure_thresholds=payload.get("unsure_thresholds"),
    )
