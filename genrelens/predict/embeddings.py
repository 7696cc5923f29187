"""musicnn embeddings of a signal, aligned to the analysis windows the genre network reads.

Inference (:mod:`genrelens.predict.pipeline`) and training (:mod:`genrelens.train.windows`) both
compute the embedding input here, so a network never sees embeddings computed another way.
"""

from __future__ import annotations

import numpy as np

from genrelens.errors import InvalidParameterError
from genrelens.model.config import current_feature_params

__all__ = [
    "EMBEDDING_MODEL",
    "EMBEDDING_HOP_FRAMES",
    "embedding_key",
    "align_embeddings",
    "signal_embeddings",
]

#: musicnn model whose penultimate layer feeds the embedding branch (MSD knows genres).
EMBEDDING_MODEL = "msd"
#: musicnn patch hop for embeddings [musicnn frames]: half a patch, about 1.5 s.
EMBEDDING_HOP_FRAMES = 93


def embedding_key() -> str:
    """Names the embedding in cache keys (model and patch hop)."""
    return f"{EMBEDDING_MODEL}:{EMBEDDING_HOP_FRAMES}"


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


def signal_embeddings(y: np.ndarray, *, sr: int, starts_s: np.ndarray) -> dict[str, np.ndarray]:
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
