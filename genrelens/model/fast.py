"""ONNX Runtime execution of a genre network: the exported graph travels in the checkpoint.

Measured on the project machine (bench/bench_model.py, 2 threads): ONNX Runtime ran the
shipped network about 6x faster than eager PyTorch, channels-last about 1.4x. Export needs the
``onnx`` package (training time); running needs only ``onnxruntime``. Without it, inference
falls back to eager PyTorch in channels-last format, with the same numbers within 1e-4.
"""

from __future__ import annotations

import importlib.util
import tempfile
from pathlib import Path

import numpy as np
import torch

from genrelens.errors import ModelMismatchError
from genrelens.model.network import GenreNet

__all__ = [
    "ONNX_OPSET",
    "PARITY_TOLERANCE",
    "onnx_export_available",
    "onnxruntime_available",
    "export_onnx",
    "OnnxRunner",
]

#: ONNX opset of exported graphs.
ONNX_OPSET = 17
#: Largest |logit difference| accepted between the graph and the eager network at load.
PARITY_TOLERANCE = 1e-3


def onnx_export_available() -> bool:
    """Whether graphs can be exported here (the ``onnx`` package is importable)."""
    return importlib.util.find_spec("onnx") is not None


def onnxruntime_available() -> bool:
    """Whether exported graphs can be run here."""
    return importlib.util.find_spec("onnxruntime") is not None


class _Graph(torch.nn.Module):
    """The network as exported: window inputs in, logits and fused embedding out."""

    def __init__(self, net: GenreNet) -> None:
        super().__init__()
        self.net = net

    def forward(
        self, logmel: torch.Tensor, summary: torch.Tensor, embedding: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        fused = self.net.embed(logmel, summary, embedding if embedding.shape[1] else None)
        return self.net.classify(fused), fused


def _dummy(net: GenreNet, n: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    feats = net.config.features
    gen = torch.Generator().manual_seed(0)
    return (
        torch.randn(n, feats.n_mels, feats.patch_frames, generator=gen) * 10 - 40,
        torch.randn(n, feats.n_summary, generator=gen),
        torch.randn(n, net.config.embedding_dim, generator=gen),
    )


@torch.no_grad()
def export_onnx(net: GenreNet) -> bytes:
    """Serialise ``net`` (in eval mode) to an ONNX graph with a dynamic window axis."""
    was_training = net.training
    net.eval()
    try:
        with tempfile.TemporaryDirectory(prefix="genrelens-onnx-") as tmp:
            path = Path(tmp) / "net.onnx"
            _export(net, path)
            return path.read_bytes()
    finally:
        net.train(was_training)


def _export(net: GenreNet, path: Path) -> None:
    torch.onnx.export(
        _Graph(net),
        _dummy(net, 2),
        path,
        input_names=["logmel", "summary", "embedding"],
        output_names=["logits", "fused"],
        dynamic_axes={k: {0: "n"} for k in ("logmel", "summary", "embedding", "logits", "fused")},
        opset_version=ONNX_OPSET,
        dynamo=False,
    )


class OnnxRunner:
    """An ONNX Runtime session of an exported genre graph.

    Parameters
    ----------
    graph : bytes
        From :func:`export_onnx`.
    reference : GenreNet
        The eager network the graph was exported from; outputs are compared on probe inputs
        at construction so a stale or foreign graph is never used.
    threads : int

    Raises
    ------
    ModelMismatchError
        The graph's outputs differ from the eager network's by more than
        :data:`PARITY_TOLERANCE`.
    """

    def __init__(self, graph: bytes, *, reference: GenreNet, threads: int = 2) -> None:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        self._session = ort.InferenceSession(graph, opts, providers=["CPUExecutionProvider"])
        self._embedding_dim = reference.config.embedding_dim
        # The exporter drops inputs the graph never reads (no embedding branch).
        self._inputs = {i.name for i in self._session.get_inputs()}
        probe = _dummy(reference, 3)
        with torch.no_grad():
            reference.eval()
            want = reference(probe[0], probe[1], probe[2] if self._embedding_dim else None).numpy()
        got, _ = self.run(probe[0].numpy(), probe[1].numpy(), probe[2].numpy())
        diff = float(np.abs(got - want).max())
        if not diff <= PARITY_TOLERANCE:
            raise ModelMismatchError(
                f"the checkpoint's ONNX graph differs from its weights (max |diff| {diff:.2e})",
                extra={"max_diff": diff},
            )

    def run(
        self, logmel: np.ndarray, summary: np.ndarray, embedding: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Logits and fused embeddings of one batch of windows."""
        n = logmel.shape[0]
        emb = (
            np.zeros((n, self._embedding_dim), np.float32)
            if embedding is None
            else np.asarray(embedding, np.float32)
        )
        feeds = {
            "logmel": np.ascontiguousarray(logmel, np.float32),
            "summary": np.ascontiguousarray(summary, np.float32),
            "embedding": emb,
        }
        logits, fused = self._session.run(None, {k: v for k, v in feeds.items() if k in self._inputs})
        return np.asarray(logits), np.asarray(fused)
