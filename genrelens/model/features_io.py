"""Bridge from the core's feature extractor (and musicnn) to the model's window arrays.

The model never computes features itself: log-mel patches and summary vectors come from
``genrelens.features``, embeddings from ``genrelens.backbone``. This module only names the
parameters a checkpoint depends on, aligns musicnn patches to analysis windows, and caches.
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
from genrelens.errors import InvalidParameterError
from genrelens.features import constants as fc
from genrelens.features.extract import extract_signal
from genrelens.features.windows import FEATURE_NAMES
from genrelens.model.config import FeatureParams

__all__ = [
    "EMBEDDING_MODEL",
    "EMBEDDING_HOP_FRAMES",
    "MAX_TRAIN_SECONDS",
    "current_feature_params",
    "embedding_key",
    "align_embeddings",
    "signal_windows",
    "signal_embeddings",
    "cached_windows",
    "file_windows",
    "FileExtractor",
]

#: musicnn model whose penultimate layer feeds the embedding branch (MSD knows genres).
EMBEDDING_MODEL = "msd"
#: musicnn patch hop for embeddings [musicnn frames]: half a patch, about 1.5 s.
EMBEDDING_HOP_FRAMES = 93
#: Longest stretch of one training file that is read [seconds] (the rest adds little).
MAX_TRAIN_SECONDS = 600.0

Arrays = dict[str, np.ndarray]


def embedding_key() -> str:
    """Names the embedding in cache keys (model and patch hop)."""
    return f"{EMBEDDING_MODEL}:{EMBEDDING_HOP_FRAMES}"


def current_feature_params() -> FeatureParams:
    """Feature parameters of the running extractor (what a checkpoint must match)."""
    return FeatureParams(
        sample_rate=fc.SAMPLE_RATE,
        n_mels=fc.N_MELS,
        patch_frames=fc.WINDOW_FRAMES,
        hop_length=fc.HOP_LENGTH,
        n_fft=fc.N_FFT,
        window_s=round(fc.WINDOW_FRAMES * fc.HOP_LENGTH / fc.SAMPLE_RATE, 6),
        summary_names=tuple(FEATURE_NAMES),
        schema_version=str(fc.FEATURE_SCHEMA_VERSION),
    )


def align_embeddings(
    patch_starts_s: np.ndarray,
    patch_embeddings: np.ndarray,
    window_starts_s: np.ndarray,
    *,
    window_s: float,
    patch_s: float,
) -> np.ndarray:
    """Mean embedding of the patches lying inside each analysis window.

    musicnn cuts 3-second patches on its own grid; a window takes the patches that fit in it
    (or, failing that, the patch whose centre is nearest its centre).

    Parameters
    ----------
    patch_starts_s : np.ndarray [shape=(p,)] [seconds]
    patch_embeddings : np.ndarray [shape=(p, dim)]
    window_starts_s : np.ndarray [shape=(n,)] [seconds]
    window_s, patch_s : float [seconds]

    Returns
    -------
    np.ndarray [shape=(n, dim), dtype=float32]
    """
    if patch_embeddings.ndim != 2 or patch_embeddings.shape[0] != len(patch_starts_s):
        raise InvalidParameterError("patch_embeddings must be (p, dim) with p patch starts")
    if len(patch_starts_s) == 0:
        raise InvalidParameterError("no musicnn patches to align")
    ps = np.asarray(patch_starts_s, dtype=np.float64)
    out = np.empty((len(window_starts_s), patch_embeddings.shape[1]), dtype=np.float32)
    tolerance = 0.05  # [seconds]: grids of two sample rates never line up exactly
    for i, ws in enumerate(np.asarray(window_starts_s, dtype=np.float64)):
        inside = (ps >= ws - tolerance) & (ps + patch_s <= ws + window_s + tolerance)
        if inside.any():
            out[i] = patch_embeddings[inside].mean(axis=0)
        else:
            nearest = int(np.argmin(np.abs(ps + patch_s / 2 - (ws + window_s / 2))))
            out[i] = patch_embeddings[nearest]
    return out


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


def signal_embeddings(y: np.ndarray, *, sr: int, starts_s: np.ndarray) -> Arrays:
    """musicnn embeddings of a signal, one per analysis window starting at ``starts_s``.

    Returns
    -------
    dict
        ``embedding`` [shape=(len(starts_s), 200), float32].
    """
    from genrelens.backbone.embed import PATCH_SECONDS, load_backbone

    out = load_backbone(EMBEDDING_MODEL).analyze(y, sr=sr, hop_frames=EMBEDDING_HOP_FRAMES)
    return {
        "embedding": align_embeddings(
            out.starts_s,
            out.penultimate,
            starts_s,
            window_s=current_feature_params().window_s,
            patch_s=PATCH_SECONDS,
        )
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
