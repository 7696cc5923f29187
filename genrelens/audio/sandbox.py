"""Child processes that parse untrusted files under a memory and a time limit.

A hostile or broken file (a decoder bug, a 150 MB cover image in a tag) can then only exhaust
or crash the child, never the worker or web process that asked. The decoder and the tag reader
run this way.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import IO

__all__ = ["run_isolated", "start_isolated"]


def _limit_memory(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    package_root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    return env


def run_isolated(module: str, args: list[str], *, timeout_s: float,
                 memory_limit: int) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m module args...`` with its address space capped at ``memory_limit`` bytes.

    Raises
    ------
    subprocess.TimeoutExpired
        The child ran past ``timeout_s`` (it is killed).
    """
    return subprocess.run(
        [sys.executable, "-m", module, *args], capture_output=True, timeout=timeout_s,
        env=_child_env(), check=False, preexec_fn=lambda: _limit_memory(memory_limit),
    )


def start_isolated(module: str, *, memory_limit: int, stderr: IO[bytes]) -> subprocess.Popen[bytes]:
    """Start ``python -m module`` as ``run_isolated`` runs one, talking over pipes.

    Its stdin and stdout are pipes (requests in, answers out, one line each); stderr goes to the
    file given, which a long-lived child cannot fill. The caller owns the process and must kill
    it if it stops waiting.
    """
    return subprocess.Popen(
        [sys.executable, "-m", module], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=stderr, env=_child_env(), preexec_fn=lambda: _limit_memory(memory_limit),
    )
