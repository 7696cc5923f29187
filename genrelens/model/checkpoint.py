"""Save and load genre checkpoints with torch; loading refuses any mismatch with the running code.

Training and evaluation use this; inference reads the same files without torch
(:func:`genrelens.model.artifact.read_artifact`).
"""

from __future__ import annotations

import os
import pickle
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from genrelens.errors import ModelMismatchError
from genrelens.model.artifact import CHECKPOINT_FORMAT, ModelArtifact, OODStats, artifact_from_payload
from genrelens.model.config import MODEL_CODE_VERSION, FeatureParams, ModelConfig
from genrelens.model.export import check_graph, export_onnx
from genrelens.model.identity import write_model_summary
from genrelens.model.network import GenreNet

__all__ = [
    "Checkpoint",
    "save_checkpoint",
    "load_checkpoint",
    "atomic_torch_save",
]

#: Permissions of written checkpoints (``mkstemp`` would leave them owner-only).
FILE_MODE = 0o644


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
        The network exported to ONNX (see :mod:`genrelens.model.export`).
    unsure_thresholds : dict or None
        Fields of :class:`genrelens.predict.unsure.UnsureThresholds` fitted on validation tracks
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

    @property
    def artifact(self) -> ModelArtifact:
        """The inference part (everything but the eager network)."""
        return ModelArtifact(
            config=self.config,
            temperature=self.temperature,
            ood=self.ood,
            metrics=self.metrics,
            code_version=self.code_version,
            onnx_graph=self.onnx_graph,
            unsure_thresholds=self.unsure_thresholds,
        )


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
        Store the network exported to ONNX, which inference runs (False only in tests of the
        refusal). A graph the checkpoint already carries is kept after checking it against
        the network, so a stale graph is never written.

    Raises
    ------
    ModelMismatchError
        ``ckpt.onnx_graph`` was not exported from ``ckpt.net``.
    """
    graph = ckpt.onnx_graph
    if graph is not None:
        check_graph(graph, ckpt.net)
    elif export:
        graph = export_onnx(ckpt.net)
    payload: dict[str, Any] = {
        "format": CHECKPOINT_FORMAT,
        "code_version": ckpt.code_version,
        "config": ckpt.config.to_dict(),
        "labels": list(ckpt.config.labels),
        "feature_params": ckpt.config.features.to_dict(),
        "state_dict": {k: v.detach().clone() for k, v in ckpt.net.state_dict().items()},
        "temperature": float(ckpt.temperature),
        "ood": None if ckpt.ood is None else {
            "means": torch.from_numpy(ckpt.ood.means.copy()),
            "precision": torch.from_numpy(ckpt.ood.precision.copy()),
            "threshold": ckpt.ood.threshold,
        },
        "metrics": ckpt.metrics,
        "onnx": None if graph is None else torch.frombuffer(bytearray(graph), dtype=torch.uint8),
        "unsure_thresholds": ckpt.unsure_thresholds,
    }
    atomic_torch_save(payload, Path(path))
    write_model_summary(path, name=ckpt.config.name, version=ckpt.config.version, labels=ckpt.config.labels)


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
    meta = artifact_from_payload(
        payload, p, expected_features=expected_features, expected_labels=expected_labels,
        code_version=code_version,
    )
    config = meta.config
    net = GenreNet(config)
    try:
        net.load_state_dict(payload["state_dict"], strict=True)
    except RuntimeError as exc:
        raise ModelMismatchError(
            f"{p.name}: weights do not fit the stored config: {str(exc).splitlines()[0]}",
            extra={"path": str(p)},
        ) from exc
    net.eval()
    return Checkpoint(
        config=config,
        net=net,
        temperature=meta.temperature,
        ood=meta.ood,
        metrics=meta.metrics,
        code_version=meta.code_version,
        onnx_graph=meta.onnx_graph,
        unsure_thresholds=meta.unsure_thresholds,
    )
