"""ONNX Runtime sessions, configured once: every network GenreLens runs at inference goes here.

The genre network and both musicnn models are exported to ONNX graphs at training or
conversion time (with torch); running them needs only ``onnxruntime``, so the analysis path
(CLI, Celery task, web process) never imports torch.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any

__all__ = ["THREAD_ENV", "THREADS_ENV", "single_threaded_libraries", "inference_threads", "onnx_session",
           "graph_metadata"]

#: Environment variable that sets ``inference_threads``: 1 where one worker process runs per
#: core (a scan's pool, Celery workers beside each other).
THREADS_ENV = "GENRELENS_INFERENCE_THREADS"

#: Thread counts of the numerical libraries and of the networks, each set to 1 where one process
#: runs per core (a scan's pool, Celery workers): the processes fill the cores. Read when the
#: libraries load, so they are set before numpy is imported. OpenBLAS's idle threads alone cost
#: one analysis of a 60 s file 0.6 s of CPU, and two workers on two cores ran 1.25x one worker
#: with them, 1.97x without (docs/benchmarks.md).
THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS",
              THREADS_ENV)


def single_threaded_libraries() -> None:
    """Set every ``THREAD_ENV`` variable to 1 unless it is set already; call before numpy loads.

    For processes that analyse: an analysis already keeps two cores busy itself (the decoder
    child, the features, the gate's thread), and pools of their own made the libraries spin and
    fight over the cores: a 6-minute MP3 took 4.1-4.6 CPU seconds with them, 3.0-3.5 without,
    and its wall time fell from 2.2-2.4 s to 1.8-2.0 s (docs/benchmarks.md).
    """
    for name in THREAD_ENV:
        os.environ.setdefault(name, "1")


def inference_threads(default: int = 2) -> int:
    """Intra-op threads of a new session: ``GENRELENS_INFERENCE_THREADS`` when it is a positive
    count, else ``default`` (two: one analysis at a time on the two-core machine this was
    tuned on). Read at each call, so a process that sets it after import is obeyed.

    Examples
    --------
    >>> os.environ[THREADS_ENV] = "1"; inference_threads()
    1
    >>> os.environ[THREADS_ENV] = "zero"; inference_threads()
    2
    >>> del os.environ[THREADS_ENV]
    """
    try:
        count = int(os.environ.get(THREADS_ENV, default))
    except ValueError:
        return default
    return count if count >= 1 else default


@functools.cache
def _register_shared_arena(ort: Any) -> None:
    """Register one CPU arena allocator with ONNX Runtime's process-wide environment, once."""
    info = ort.OrtMemoryInfo("Cpu", ort.OrtAllocatorType.ORT_ARENA_ALLOCATOR, 0, ort.OrtMemType.DEFAULT)
    ort.create_and_register_allocator(info, ort.OrtArenaCfg(0, -1, -1, -1))


def onnx_session(graph: bytes | Path, *, threads: int | None = None) -> Any:
    """A CPU ``onnxruntime.InferenceSession`` of a serialised graph or a graph file
    (``inference_threads()`` threads unless ``threads``)."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads if threads is not None else inference_threads()
    opts.inter_op_num_threads = 1
    opts.log_severity_level = 3
    # Memory patterns pre-plan one buffer for all of a run's intermediates: musicnn's maps
    # then peak at several hundred MB; without them buffers are reused as layers finish.
    opts.enable_mem_pattern = False
    # One arena for every session of the process: each session's own kept its peak after a
    # run, so the two musicnn graphs held 145 MB between them where a shared one holds 80 MB.
    _register_shared_arena(ort)
    opts.add_session_config_entry("session.use_env_allocators", "1")
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
