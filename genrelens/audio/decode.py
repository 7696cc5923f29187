"""Isolated, capped decoding: a child process turns any supported file into mono float32.

The parent never decodes untrusted bytes itself. The child (genrelens.audio.decode_worker) runs
with an address-space limit and a wall-clock timeout, reads at most ``max_seconds`` of audio
whatever the header claims, and writes raw samples to a temporary file that the analysis then
streams in chunks, so memory stays bounded for a two-hour mix.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from genrelens.audio.constants import (
    DECODE_TIMEOUT_S,
    MAX_ANALYSIS_SECONDS,
    MIN_SECONDS,
    SAMPLE_RATE,
)
from genrelens.audio.probe import AudioInfo, probe_file
from genrelens.audio.sandbox import run_isolated
from genrelens.errors import (
    AudioDecodeError,
    AudioTooShortError,
    DecoderCrashedError,
    DecoderTimeoutError,
    EmptyFileError,
    GenreLensError,
    InvalidAudioError,
    InvalidParameterError,
    UnsupportedMediaError,
)
from genrelens.features.loudness import LoudnessSummary, summarize_loudness

__all__ = ["DECODE_MEMORY_LIMIT_BYTES", "SHORT_OF_HEADER_S", "DecodedAudio", "decode_file",
           "load_audio", "short_of_header"]

#: Address-space limit of the decoder child [bytes].
DECODE_MEMORY_LIMIT_BYTES = 3 * 1024**3
#: Decoded audio this much shorter than the header's duration counts as cut short [seconds]
#: (well above an MP3's encoder delay and padding, about 0.05 s).
SHORT_OF_HEADER_S = 0.5
_ERRORS: dict[str, type[GenreLensError]] = {
    cls.code: cls
    for cls in (AudioDecodeError, InvalidAudioError, EmptyFileError, UnsupportedMediaError)
}


@dataclass(frozen=True)
class DecodedAudio:
    """Decoded mono samples on disk, read back in chunks.

    ``truncated`` is True when the audio decoded ends before the file's end: the cap cut it, a
    corrupt tail stopped the decoder, or the decoder ran out of data before the duration the
    header declares (a cut-off MP3, or a header that lies). ``duration_s`` always counts the
    decoded samples, never the header.
    """

    raw_path: Path
    sr: int
    frames: int
    truncated: bool
    info: AudioInfo
    loudness: LoudnessSummary

    @property
    def duration_s(self) -> float:
        return self.frames / self.sr

    def read(self, start: int, count: int) -> np.ndarray:
        """Samples ``[start, start + count)`` as float32 [shape=(m,)], m <= count."""
        start = max(0, min(start, self.frames))
        count = max(0, min(count, self.frames - start))
        with self.raw_path.open("rb") as handle:
            handle.seek(start * 4)
            return np.fromfile(handle, dtype="<f4", count=count).astype(np.float32, copy=False)


def short_of_header(frames: int, *, sr: int, declared_duration_s: float | None) -> bool:
    """Whether ``frames`` decoded samples end more than ``SHORT_OF_HEADER_S`` before the header's
    duration (unknown durations never count)."""
    if declared_duration_s is None:
        return False
    return frames / sr < declared_duration_s - SHORT_OF_HEADER_S


def _run_child(src: Path, raw: Path, fmt: str, sr: int, max_frames: int, *,
               timeout_s: float, memory_limit: int) -> dict[str, float]:
    try:
        done = run_isolated("genrelens.audio.decode_worker",
                            [str(src), str(raw), fmt, str(sr), str(max_frames)],
                            timeout_s=timeout_s, memory_limit=memory_limit)
    except subprocess.TimeoutExpired as exc:
        raise DecoderTimeoutError(
            f"decoding took longer than {timeout_s:.0f} s and was stopped"
        ) from exc
    try:
        status = json.loads(done.stdout.decode().strip().splitlines()[-1])
    except (ValueError, IndexError):
        status = {}
    if done.returncode == 2 and "error" in status:
        error = status["error"]
        raise _ERRORS.get(error["code"], AudioDecodeError)(error["message"])
    if done.returncode != 0 or "frames" not in status:
        reason = "ran out of memory" if b"MemoryError" in done.stderr else "crashed"
        raise DecoderCrashedError(
            f"the decoder {reason} on this file",
            extra={"returncode": done.returncode},
        )
    return {key: float(value) for key, value in status.items()}


@contextlib.contextmanager
def decode_file(
    path: str | os.PathLike[str],
    *,
    sr: int = SAMPLE_RATE,
    max_seconds: float = MAX_ANALYSIS_SECONDS,
    timeout_s: float = DECODE_TIMEOUT_S,
    memory_limit_bytes: int = DECODE_MEMORY_LIMIT_BYTES,
) -> Iterator[DecodedAudio]:
    """Probe and decode ``path`` in an isolated child; yield the samples on a temporary file.

    Parameters
    ----------
    path : path-like
        Any file; the format is sniffed from its bytes.
    sr : int > 0 [Hz]
        Output sample rate (mono float32).
    max_seconds : float > 0
        Cap on decoded audio; a longer file is cut and ``truncated`` is set.
    timeout_s : float > 0
        Wall-clock limit of the decoder process.
    memory_limit_bytes : int > 0
        Address-space limit of the decoder process.

    Yields
    ------
    DecodedAudio
        Valid inside the ``with`` block; the temporary samples are removed after it.

    Raises
    ------
    GenreLensError
        EmptyFileError, UnsupportedMediaError, AudioDecodeError, InvalidAudioError,
        AudioTooShortError, AudioTooLongError, DecoderTimeoutError, DecoderCrashedError.
    """
    if sr <= 0 or max_seconds <= 0 or timeout_s <= 0:
        raise InvalidParameterError(
            f"sr, max_seconds and timeout_s must be positive, got {sr}, {max_seconds}, {timeout_s}"
        )
    src = Path(path)
    info = probe_file(src)
    with tempfile.TemporaryDirectory(prefix="genrelens-decode-") as tmp:
        raw = Path(tmp) / "samples.f32"
        status = _run_child(src, raw, info.format, sr, int(max_seconds * sr),
                            timeout_s=timeout_s, memory_limit=memory_limit_bytes)
        frames = int(status["frames"])
        if frames < MIN_SECONDS * sr:
            raise AudioTooShortError(
                f"{frames / sr:.1f} s of audio decoded; at least "
                f"{MIN_SECONDS:.0f} s are needed",
                extra={"duration_analyzed_s": frames / sr},
            )
        energies = np.load(raw.with_suffix(".loudness.npy"))
        loudness = summarize_loudness(energies, peak=status["peak"])
        truncated = bool(status["truncated"]) or short_of_header(
            frames, sr=sr, declared_duration_s=info.declared_duration_s)
        yield DecodedAudio(raw, sr, frames, truncated, info, loudness)


def load_audio(
    path: str | os.PathLike[str], *, sr: int = SAMPLE_RATE, max_seconds: float = 600.0
) -> np.ndarray:
    """Decode a whole (short) file into memory: mono float32 [shape=(n,)] at ``sr``.

    For training data and tools; the analysis of long files streams through ``decode_file``.
    """
    with decode_file(path, sr=sr, max_seconds=max_seconds) as decoded:
        return decoded.read(0, decoded.frames)
