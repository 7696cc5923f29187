"""The musicnn weights as a PyTorch network, and their export to the ONNX graphs inference runs.

Conversion-time only (needs torch and ``onnx``): ``tools/export_onnx.py`` calls
:func:`export_graph` for both models after ``tools/convert_musicnn.py`` has written the weights.
Each graph carries its weights file's ``__meta__`` plus the file's SHA-256 (so a test can tell
a stale graph), and is checked against the eager network before it is written.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import numpy as np
import torch

from genrelens.backbone.embed import (
    GRAPH_META_KEY,
    ModelName,
    check_meta,
    graph_path,
    weights_path,
)
from genrelens.backbone.frontend import N_MELS, PATCH_FRAMES, PATCH_SAMPLES, log_mel
from genrelens.backbone.musicnn import Musicnn, MusicnnConfig
from genrelens.backbone.tags import TAGS
from genrelens.datasets.cache import file_digest
from genrelens.errors import ModelMismatchError
from genrelens.runtime import onnx_session

__all__ = [
    "ONNX_OPSET",
    "PARITY_TOLERANCE",
    "OUTPUTS",
    "load_network",
    "run_network",
    "probe_patches",
    "export_graph",
]

#: ONNX opset of the exported graphs.
ONNX_OPSET = 17
#: Largest |difference| accepted between graph and eager network on any output, relative to the
#: output's largest magnitude (the pooled maps reach about 100, probabilities stay below 1).
PARITY_TOLERANCE = 1e-5
#: The graph's outputs, in order (tag probabilities are the sigmoid of musicnn's logits).
OUTPUTS = ("probabilities", "penultimate", "mean_pool", "max_pool")


def _read_weights(path: Path, name: str) -> dict[str, torch.Tensor]:
    """Read a weights file and refuse it unless its metadata matches this code."""
    if not path.is_file():
        raise ModelMismatchError(f"musicnn weights file {path} is missing")
    with np.load(path, allow_pickle=False) as data:
        if "__meta__" not in data.files:
            raise ModelMismatchError(f"{path} has no __meta__ entry; not a GenreLens musicnn file")
        meta = json.loads(str(data["__meta__"]))
        arrays = {k: torch.from_numpy(data[k].copy()) for k in data.files if k != "__meta__"}
    check_meta(meta, name, path)
    return arrays


def load_network(name: ModelName = "msd", *, path: str | Path | None = None) -> Musicnn:
    """The eager network of a shipped model (or of a weights file at ``path``), in eval mode.

    Raises
    ------
    InvalidParameterError
        ``name`` is neither ``"msd"`` nor ``"mtt"``.
    ModelMismatchError
        The weights file is missing, or its labels, feature parameters, format or tensors do
        not match this code.
    """
    weights = weights_path(name) if path is None else Path(path)
    arrays = _read_weights(weights, name)
    network = Musicnn(MusicnnConfig(n_classes=len(TAGS[name])))
    for key, value in network.state_dict().items():
        if key.endswith("num_batches_tracked"):
            arrays.setdefault(key, value)  # training counters, not stored
    try:
        network.load_state_dict(arrays, strict=True)
    except RuntimeError as exc:
        raise ModelMismatchError(f"{weights}: tensors do not fit the network: {exc}") from exc
    return network.eval()


@torch.no_grad()
def run_network(network: Musicnn, log_mel_patches: np.ndarray) -> tuple[np.ndarray, ...]:
    """The eager network's outputs (:data:`OUTPUTS`) on log-mel patches [shape=(n, 187, 96)]."""
    out = network.features(torch.from_numpy(np.ascontiguousarray(log_mel_patches, np.float32)))
    return tuple(
        t.numpy() for t in (torch.sigmoid(out.logits), out.penultimate, out.mean_pool, out.max_pool)
    )


class _Graph(torch.nn.Module):
    def __init__(self, network: Musicnn) -> None:
        super().__init__()
        self.network = network

    def forward(self, log_mel_patches: torch.Tensor) -> tuple[torch.Tensor, ...]:
        out = self.network.features(log_mel_patches)
        return torch.sigmoid(out.logits), out.penultimate, out.mean_pool, out.max_pool


def probe_patches(n: int = 3) -> np.ndarray:
    """Log-mel patches of seeded noise at several levels: the parity check's inputs."""
    rng = np.random.default_rng(187)
    gains = np.geomspace(1e-3, 0.5, n, dtype=np.float32)[:, None]
    return log_mel((gains * rng.standard_normal((n, PATCH_SAMPLES))).astype(np.float32))


def _check_parity(graph: Path, network: Musicnn) -> float:
    session = onnx_session(graph)
    patches = probe_patches()
    got = session.run(None, {"log_mel": patches})
    want = run_network(network, patches)
    worst = max(
        float(np.abs(g - w).max() / max(1.0, float(np.abs(w).max()))) for g, w in zip(got, want, strict=True)
    )
    if not worst <= PARITY_TOLERANCE:
        raise ModelMismatchError(f"{graph}: ONNX graph differs from the eager network ({worst:.2e})")
    return worst


def export_graph(name: ModelName, *, weights: Path | None = None, out: Path | None = None) -> Path:
    """Export model ``name`` to ONNX (the shipped graph path by default) and check its parity.

    The graph takes ``log_mel`` [shape=(n, 187, 96)] and returns :data:`OUTPUTS`; its metadata
    holds the weights file's ``__meta__`` and ``weights_sha256``.
    """
    import onnx

    source = weights_path(name) if weights is None else weights
    target = graph_path(name) if out is None else out
    network = load_network(name, path=source)
    with np.load(source, allow_pickle=False) as data:
        meta = json.loads(str(data["__meta__"]))
    meta["weights_sha256"] = file_digest(source)
    with tempfile.TemporaryDirectory(prefix="genrelens-onnx-") as tmp:
        raw = Path(tmp) / "graph.onnx"
        torch.onnx.export(
            _Graph(network).eval(),  # the exporter restores the wrapper's mode on the network
            (torch.zeros(2, PATCH_FRAMES, N_MELS),),
            raw,
            input_names=["log_mel"],
            output_names=list(OUTPUTS),
            dynamic_axes={k: {0: "n"} for k in ("log_mel", *OUTPUTS)},
            opset_version=ONNX_OPSET,
            dynamo=False,
        )
        model = onnx.load(raw)
        entry = model.metadata_props.add()
        entry.key, entry.value = GRAPH_META_KEY, json.dumps(meta, sort_keys=True)
        onnx.save(model, raw)
        _check_parity(raw, network)
        target.write_bytes(raw.read_bytes())
    return target
