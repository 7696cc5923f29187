"""musicnn over an audio file, streamed block by block (what ``genrelens tags`` runs)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import soundfile as sf

from genrelens.audio.constants import MAX_ANALYSIS_SECONDS
from genrelens.backbone.embed import (
    BATCH_SIZE,
    BackboneOutput,
    ModelName,
    load_backbone,
)
from genrelens.backbone.frontend import PATCH_FRAMES
from genrelens.errors import AudioDecodeError, EmptyFileError, UnsupportedMediaError

__all__ = ["BLOCK_FRAMES", "analyze_file"]

#: Frames read from the file per block (about 1.5 min at 44.1 kHz).
BLOCK_FRAMES = 1 << 22


def _file_blocks(path: Path, *, max_seconds: float) -> tuple[int, Iterator[np.ndarray]]:
    """Open ``path`` with libsndfile; return its rate and its mono blocks, capped at max_seconds.

    The cap counts decoded frames, not the header's duration (docs/RELIABILITY A6).
    """
    if not path.is_file():
        raise UnsupportedMediaError("not a file")
    if path.stat().st_size == 0:
        raise EmptyFileError("the file is empty")
    try:
        handle = sf.SoundFile(path)
    except (sf.LibsndfileError, RuntimeError) as exc:
        raise UnsupportedMediaError("not an audio file GenreLens can decode") from exc
    cap = int(max_seconds * handle.samplerate)

    def blocks() -> Iterator[np.ndarray]:
        read = 0
        with handle:
            while read < cap:
                try:
                    block = handle.read(min(BLOCK_FRAMES, cap - read), dtype="float32")
                except (sf.LibsndfileError, RuntimeError) as exc:
                    raise AudioDecodeError("the audio data is corrupt") from exc
                if block.shape[0] == 0:
                    return
                read += block.shape[0]
                yield block.mean(axis=1) if block.ndim == 2 else block

    return int(handle.samplerate), blocks()


def analyze_file(
    path: str | os.PathLike[str],
    *,
    model: ModelName = "msd",
    hop_frames: int = PATCH_FRAMES,
    batch_size: int = BATCH_SIZE,
    max_seconds: float = MAX_ANALYSIS_SECONDS,
) -> BackboneOutput:
    """Tag probabilities and embeddings of a file, per patch, without loading it whole.

    Parameters
    ----------
    path : path-like
        An audio file libsndfile reads (WAV, FLAC, OGG, MP3, ...).
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
    EmptyFileError, UnsupportedMediaError, AudioDecodeError
        The file is empty, not audio, or corrupt.
    AudioTooShortError
        Under about 3 s of audio.
    """
    sr, blocks = _file_blocks(Path(path), max_seconds=max_seconds)
    backbone = load_backbone(model)
    parts = list(backbone.stream(blocks, sr=sr, hop_frames=hop_frames, batch_size=batch_size))
    return BackboneOutput.concatenate(parts)
