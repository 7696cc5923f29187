"""Which genre model is installed, read without torch.

Every checkpoint gets a small JSON summary beside it (name, version, labels, and the SHA-256
of the checkpoint file). The web process uses it to decide whether an earlier analysis of the
same audio is still current, without importing torch or loading any weights.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from genrelens.datasets.cache import file_digest

__all__ = [
    "DEFAULT_WEIGHTS",
    "default_weights_path",
    "summary_path",
    "write_model_summary",
    "installed_model_version",
]

#: File name of the shipped checkpoint inside ``genrelens/model/weights``.
DEFAULT_WEIGHTS = "default.pt"


def default_weights_path() -> Path:
    """Path of the shipped default checkpoint (it may be absent before a model is trained)."""
    return Path(str(resources.files("genrelens.model") / "weights" / DEFAULT_WEIGHTS))


def summary_path(checkpoint: str | os.PathLike[str]) -> Path:
    """Where the summary of a checkpoint lives: same name, ``.json``."""
    return Path(checkpoint).with_suffix(".json")


def write_model_summary(
    checkpoint: str | os.PathLike[str], *, name: str, version: str, labels: Sequence[str]
) -> None:
    """Write the summary of a checkpoint that has just been written."""
    summary = {
        "name": name,
        "version": version,
        "labels": list(labels),
        "checkpoint_sha256": file_digest(checkpoint),
    }
    summary_path(checkpoint).write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")


def installed_model_version(checkpoint: str | os.PathLike[str] | None = None) -> str | None:
    """Version of the checkpoint (the shipped one by default), or None when it cannot be told.

    None when the checkpoint or its summary is missing or unreadable, or when the summary was
    written for other bytes (a checkpoint replaced without its summary): callers then treat
    every earlier result as possibly stale.
    """
    path = Path(checkpoint) if checkpoint is not None else default_weights_path()
    try:
        summary = json.loads(summary_path(path).read_text(encoding="utf-8"))
        if summary["checkpoint_sha256"] != file_digest(path):
            return None
        return str(summary["version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
