"""In-memory window sets: the arrays training, calibration and evaluation read."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from genrelens.errors import InvalidParameterError

__all__ = ["WindowSet"]


@dataclass(frozen=True)
class WindowSet:
    """Analysis windows of many tracks, with their track's label.

    Parameters
    ----------
    logmel : np.ndarray [shape=(n, n_mels, frames)]
        Stored as float16 to halve memory; cast to float32 per batch.
    summary : np.ndarray [shape=(n, n_summary)]
    labels : np.ndarray [shape=(n,), dtype=int64]
        Class index of each window (the track's label).
    track_ids : np.ndarray [shape=(n,), dtype=int64]
        Which track each window comes from (windows of one track are never split apart).
    embedding : np.ndarray [shape=(n, dim)] or None
        External (musicnn) embedding per window.
    """

    logmel: np.ndarray
    summary: np.ndarray
    labels: np.ndarray
    track_ids: np.ndarray
    embedding: np.ndarray | None = None

    def __post_init__(self) -> None:
        n = self.logmel.shape[0]
        if self.logmel.ndim != 3:
            raise InvalidParameterError(f"logmel must be 3-D, got shape {self.logmel.shape}")
        for name in ("summary", "labels", "track_ids"):
            if getattr(self, name).shape[0] != n:
                raise InvalidParameterError(f"{name} has {getattr(self, name).shape[0]} rows, logmel has {n}")
        if self.embedding is not None and self.embedding.shape[0] != n:
            raise InvalidParameterError(f"embedding has {self.embedding.shape[0]} rows, logmel has {n}")

    def __len__(self) -> int:
        return int(self.logmel.shape[0])

    def take(self, index: np.ndarray) -> WindowSet:
        """Rows selected by an index or boolean mask."""
        return WindowSet(
            logmel=self.logmel[index],
            summary=self.summary[index],
            labels=self.labels[index],
            track_ids=self.track_ids[index],
            embedding=None if self.embedding is None else self.embedding[index],
        )
