"""The genre network exported to ONNX, which inference runs; checked against the eager network.

Export runs at training time (every :func:`genrelens.model.checkpoint.save_checkpoint`) and
needs torch and the ``onnx`` package; running the graph needs only ``onnxruntime``
(:mod:`genrelens.model.fast`). Measured on the project machine (bench/bench_model.py,
2 threads): ONNX Runtime ran the shipped network about 6x faster than eager PyTorch.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import torch

from genrelens.errors import ModelMismatchError
from genrelens.model.fast import OnnxRunner
from genrelens.model.network import GenreNet, run_network

__all__ = ["ONNX_OPSET", "PARITY_TOLERANCE", "export_onnx", "check_graph"]

#: ONNX opset of exported graphs.
ONNX_OPSET = 17
#: Largest |logit or fused difference| accepted between a graph and its eager network.
PARITY_TOLERANCE = 1e-3


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


def check_graph(graph: bytes, net: GenreNet) -> float:
    """Largest output difference of ``graph`` from ``net`` on seeded probe windows.

    Raises
    ------
    ModelMismatchError
        Above :data:`PARITY_TOLERANCE`: the graph was not exported from these weights.
    """
    logmel, summary, embedding = (t.numpy() for t in _dummy(net, 3))
    emb = embedding if net.config.embedding_dim else None
    got = OnnxRunner(graph, embedding_dim=net.config.embedding_dim).run(logmel, summary, emb)
    want = run_network(net, logmel, summary, emb)
    diff = max(float(np.abs(got[0] - want.logits).max()), float(np.abs(got[1] - want.fused).max()))
    if not diff <= PARITY_TOLERANCE:
        raise ModelMismatchError(
            f"the checkpoint's ONNX graph differs from its weights (max |diff| {diff:.2e})",
            extra={"max_diff": diff},
        )
    return diff


@torch.no_grad()
def export_onnx(net: GenreNet) -> bytes:
    """Serialise ``net`` to an ONNX graph with a dynamic window axis, checked with :func:`check_graph`."""
    was_training = net.training
    net.eval()
    try:
        with tempfile.TemporaryDirectory(prefix="genrelens-onnx-") as tmp:
            path = Path(tmp) / "net.onnx"
            torch.onnx.export(
                _Graph(net).eval(),  # the exporter restores the wrapper's mode on the network
                _dummy(net, 2),
                path,
                input_names=["logmel", "summary", "embedding"],
                output_names=["logits", "fused"],
                dynamic_axes={k: {0: "n"} for k in ("logmel", "summary", "embedding", "logits", "fused")},
                opset_version=ONNX_OPSET,
                dynamo=False,
            )
            graph = path.read_bytes()
        check_graph(graph, net)
        return graph
    finally:
        net.train(was_training)
