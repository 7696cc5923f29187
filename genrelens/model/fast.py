"""ONNX Runtime execution of a genre network: the graph exported into the checkpoint.

The graph is exported and checked against the eager network when the checkpoint is saved
(:mod:`genrelens.model.export`); this module needs only ``onnxruntime``, never torch.
"""

from __future__ import annotations

import numpy as np

from genrelens.runtime import onnx_session

__all__ = ["OnnxRunner"]


class OnnxRunner:
    """An ONNX Runtime session of an exported genre graph.

    Parameters
    ----------
    graph : bytes
        From :func:`genrelens.model.export.export_onnx`.
    embedding_dim : int
        Width of the network's musicnn embedding input (0: the network has none).
    threads : int, optional
        Intra-op threads (default ``runtime.inference_threads()``).
    """

    def __init__(self, graph: bytes, *, embedding_dim: int, threads: int | None = None) -> None:
        self._session = onnx_session(graph, threads=threads)
        self._embedding_dim = embedding_dim
        # The exporter drops inputs the graph never reads (no embedding branch).
        self._inputs = {i.name for i in self._session.get_inputs()}

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
