"""musicnn over decoded audio read back in blocks: a file (``genrelens tags``) or an analysis."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import numpy as np

from genrelens.audio.constants import MAX_ANALYSIS_SECONDS
from genrelens.audio.decode import decode_file
from genrelens.backbone.embed import (
    BATCH_SIZE,
    BackboneOutput,
    ModelName,
    load_backbone,
)
from genrelens.backbone.frontend import PATCH_FRAMES, SAMPLE_RATE

__all__ = ["BLOCK_SAMPLES", "analyze_decoded", "analyze_file"]

#: Samples read back per block (about 65 s at 16 kHz).
BLOCK_SAMPLES = 1 << 20


def analyze_decoded(
    read: Callable[[int, int], np.ndarray],
    frames: int,
    *,
    sr: int,
    model: ModelName = "msd",
    hop_frames: int = PATCH_FRAMES,
    batch_size: int = BATCH_SIZE,
) -> BackboneOutput:
    """Run a model over decoded samples read back block by block (e.g. ``DecodedAudio.read``).

    Parameters
    ----------
    read : callable
        ``read(start, count)`` returns mono float32 samples ``[start, start + count)``.
    frames : int
        Number of samples ``read`` can return.
    sr : int [Hz]
        Their rate; the backbone resamples to 16 kHz as it streams.
    model, hop_frames, batch_size
        As in :meth:`~genrelens.backbone.embed.MusicnnBackbone.stream`.

    Returns
    -------
    out : BackboneOutput
    """
    blocks: Iterator[np.ndarray] = (read(start, BLOCK_SAMPLES) for start in range(0, frames, BLOCK_SAMPLES))
    backbone = load_backbone(model)
    parts = list(backbone.stream(blocks, sr=sr, hop_frames=hop_frames, batch_size=batch_size))
    return BackboneOutput.concatenate(parts)


def analyze_file(
    path: str | os.PathLike[str],
    *,
    model: ModelName = "msd",
    hop_frames: int = PATCH_FRAMES,
    batch_size: int = BATCH_SIZE,
    max_seconds: float = MAX_ANALYSIS_SECONDS,
) -> BackboneOutput:
    """Tag probabilities and embeddings of a file, per patch, without holding it in memory.

    The file goes through GenreLens's isolated, capped decoder (``genrelens.audio.decode``),
    straight to 16 kHz mono.

    Parameters
    ----------
    path : path-like
        Any audio file GenreLens decodes.
    model : {"msd", "mtt"}
        Which musicnn model.
    hop_frames : int [frames of 16 ms]
        Patch hop (see :meth:`~genrelens.backbone.embed.MusicnnBackbone.stream`).
    batch_size : int
        Patches per forward pass.
    max_seconds : float [seconds]
        Decoded audio beyond this is ignored.

    Returns
    -------
    out : BackboneOutput

    Raises
    ------
    GenreLensError
        The decoder's errors (empty, unsupported, corrupt, too short, too long, timeout, crash).
    """
    with decode_file(path, sr=SAMPLE_RATE, max_seconds=max_seconds) as decoded:
        return analyze_decoded(
            decoded.read,
            decoded.frames,
            sr=decoded.sr,
            model=model,
            hop_frames=hop_frames,
            batch_size=batch_size,
        )
