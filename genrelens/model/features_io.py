"""Bridge from the core's feature extractor (and musicnn) to the model's window arrays.

The model never computes features itself: log-mel patches and summary vectors come from
``genrelens.features``, embeddings from ``genrelens.backbone``. This module only names the
parameters a checkpoint depends on, aligns musicnn patches to analysis windows, and caches.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from genrelens.audio.decode import load_audio
from genrelens.datasets.cache import FeatureCache
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
    "file_windows",
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


def signal_windows(y: np.ndarray, *, sr: int, with_embedding: bool = False) -> Arrays:
    """Window arrays of an in-memory mono signal.

    Returns
    -------
    dict
        ``logmel`` [shape=(n, n_mels, frames), float16, dB], ``summary``
        [shape=(n, n_features), float32], ``starts_s`` [shape=(n,)], and with
        ``with_embedding`` also ``embedding`` [shape=(n, 200), float32].
    """
    _, batch = extract_signal(np.asarray(y, dtype=np.float32), sr=sr)
    arrays: Arrays = {
        "logmel": batch.log_mel.astype(np.float16),
        "summary": batch.vectors.astype(np.float32),
        "starts_s": np.asarray(batch.start_s, dtype=np.float64),
    }
    if with_embedding:
        from genrelens.backbone.embed import PATCH_SECONDS, load_backbone

        out = load_backbone(EMBEDDING_MODEL).analyze(y, sr=sr, hop_frames=EMBEDDING_HOP_FRAMES)
        arrays["embedding"] = align_embeddings(
            out.starts_s,
            out.penultimate,
            arrays["starts_s"],
            window_s=current_feature_params().window_s,
            patch_s=PATCH_SECONDS,
        )
    return arrays


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
    params = current_feature_params()

    def compute(p: Path) -> Arrays:
        y = load_audio(p, sr=params.sample_rate, max_seconds=MAX_TRAIN_SECONDS)
        return signal_windows(y, sr=params.sample_rate, with_embedding=with_embedding)

    if cache is None:
        return compute(Path(path))
    key_params = {
        **params.to_dict(),
        "max_seconds": MAX_TRAIN_SECONDS,
        "embedding": embedding_key() if with_embedding else None,
    }
    return cache.get_or_compute(path, compute, schema_version=params.schema_version, params=key_params)
