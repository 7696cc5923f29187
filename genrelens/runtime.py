"""ONNX Runtime sessions, configured once: every network GenreLens runs at inference goes here.

The genre network and both musicnn models are exported to ONNX graphs at training or
conversion time (with torch); running them needs only ``onnxruntime``, so the analysis path
(CLI, Celery task, web process) never imports torch.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["INFERENCE_THREADS", "onnx_session", "graph_metadata"]

#: Intra-op threads of every session (the project machine has two cores).
INFERENCE_THREADS = 2


def onnx_session(graph: bytes | Path, *, threads: int = INFERENCE_THREADS) -> Any:
    """A CPU ``onnxruntime.InferenceSession`` of a serialised graph or a graph file."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.log_severity_level = 3
    # Memory patterns pre-plan one buffer for all of a run's intermediates: musicnn's maps
    # then peak at several hundred MB; without them buffers are reused as layers finish.
    opts.enable_mem_pattern = False
    # Idle pool threads sleep instead of spinning: the runs are short and far apart (a batch of
    # windows, two gate patches), and spinning cost 0.4 s of CPU and wall time per cold
    # `genrelens analyze` of a 30 s clip on the shared two-core machine (5 runs each).
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    source = str(graph) if isinstance(graph, Path) else graph
    return ort.InferenceSession(source, opts, providers=["CPUExecutionProvider"])


def graph_metadata(session: Any, key: str) -> dict[str, Any] | None:
    """The JSON object an exporter stored under ``key`` in the graph's metadata, if any."""
    raw = session.get_modelmeta().custom_metadata_map.get(key)
    if raw is None:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
