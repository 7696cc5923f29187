"""Window arrays of training audio (log-mel patches, summary vectors, embeddings), cached per file.

The model never computes features itself: log-mel patches and summary vectors come from
``genrelens.features``, embeddings from :mod:`genrelens.predict.embeddings` (the same code as at
inference). This module reads training files and caches what was extracted.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache as memoize
from pathlib import Path
from typing import Any

import numpy as np

from genrelens.audio.decode import load_audio
from genrelens.datasets.cache import FeatureCache, file_digest
from genrelens.datasets.sources import LabeledTrack
from genrelens.features.extract import extract_signal
from genrelens.model.config import current_feature_params
from genrelens.predict.embeddings import embedding_key, signal_embeddings

__all__ = [
    "MAX_TRAIN_SECONDS",
    "signal_windows",
    "cached_windows",
    "file_windows",
    "FileExtractor",
]

#: Longest stretch of one training file that is read [seconds] (the rest adds little).
MAX_TRAIN_SECONDS = 600.0

Arrays = dict[str, np.ndarray]


def signal_windows(y: np.ndarray, *, sr: int) -> Arrays:
    """Window arrays of an in-memory mono signal.

    Returns
    -------
    dict
        ``logmel`` [shape=(n, n_mels, frames), float16, dB], ``summary``
        [shape=(n, n_features), float32] and ``starts_s`` [shape=(n,)].
    """
    _, batch = extract_signal(np.asarray(y, dtype=np.float32), sr=sr)
    return {
        "logmel": batch.log_mel.astype(np.float16),
        "summary": batch.vectors.astype(np.float32),
        "starts_s": np.asarray(batch.start_s, dtype=np.float64),
    }


def cached_windows(
    load: Callable[[], tuple[np.ndarray, int]],
    *,
    digest: str,
    params: Mapping[str, Any],
    cache: FeatureCache | None,
    with_embedding: bool = False,
) -> Arrays:
    """Window arrays (and embeddings) of one input, each part cached under its own key.

    Features and embeddings are stored apart so that training the network and then a head on
    musicnn embeddings extracts the log-mel patches once; the audio is loaded at most once, and
    only when some part misses.

    Parameters
    ----------
    load : callable
        ``load() -> (mono signal, sample rate)``.
    digest : str
        Names the audio (see :meth:`FeatureCache.get_or_compute`).
    params : mapping
        Every parameter the arrays depend on besides the feature parameters.
    cache : FeatureCache or None
    with_embedding : bool
    """
    feature_params = current_feature_params()
    audio = memoize(load)

    def windows() -> Arrays:
        y, sr = audio()
        return signal_windows(y, sr=sr)

    key_params = {**feature_params.to_dict(), **params}
    if cache is None:
        arrays = windows()
    else:
        arrays = cache.get_or_compute(
            digest, windows, schema_version=feature_params.schema_version, params=key_params
        )
    if not with_embedding:
        return arrays

    def embeddings() -> Arrays:
        y, sr = audio()
        return signal_embeddings(y, sr=sr, starts_s=arrays["starts_s"])

    if cache is None:
        return {**arrays, **embeddings()}
    emb = cache.get_or_compute(
        digest,
        embeddings,
        schema_version=feature_params.schema_version,
        params={**key_params, "embedding": embedding_key()},
    )
    return {**arrays, **emb}


def file_windows(
    path: str | os.PathLike[str],
    *,
    cache: FeatureCache | None = None,
    with_embedding: bool = False,
) -> Arrays:
    """Window arrays of an audio file, decoded through the core's isolated decoder, cached.

    Parameters
    ----------
    path : path-like
    cache : FeatureCache or None
        Second runs read the arrays back instead of decoding and extracting again.
    with_embedding : bool

    Raises
    ------
    GenreLensError
        Any decode error of the file (typed by ``genrelens.audio``).
    """
    sr = current_feature_params().sample_rate

    def load() -> tuple[np.ndarray, int]:
        return load_audio(path, sr=sr, max_seconds=MAX_TRAIN_SECONDS), sr

    return cached_windows(
        load,
        digest=file_digest(path) if cache is not None else "",
        params={"max_seconds": MAX_TRAIN_SECONDS},
        cache=cache,
        with_embedding=with_embedding,
    )


@dataclass(frozen=True)
class FileExtractor:
    """``extract(track)`` over audio files: picklable, so worker processes can run it.

    Parameters
    ----------
    cache_dir : Path or None
        Feature cache directory (None: no cache).
    with_embedding : bool
    """

    cache_dir: Path | None
    with_embedding: bool = False

    def __call__(self, track: LabeledTrack) -> Arrays:
        cache = FeatureCache(self.cache_dir) if self.cache_dir is not None else None
        return file_windows(track.path, cache=cache, with_embedding=self.with_embedding)
