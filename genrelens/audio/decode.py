"""Isolated, capped decoding: a child process turns any supported file into mono float32.

The parent never decodes untrusted bytes itself. The child (genrelens.audio.decode_worker) runs
with an address-space limit and a wall-clock timeout, reads at most ``max_seconds`` of audio
whatever the header claims, and writes raw samples to a temporary file that the analysis then
streams in chunks, so memory stays bounded for a two-hour mix.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from genrelens.audio.constants import (
    DECODE_TIMEOUT_S,
    MAX_ANALYSIS_SECONDS,
    MIN_SECONDS,
    SAMPLE_RATE,
    TEST_HOOK_ENV,
)
from genrelens.audio.decoder import DecoderChild, decoder_child
from genrelens.audio.probe import AudioInfo, probe_file
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

__all__ = ["DECODE_MEMORY_LIMIT_BYTES", "SHORT_OF_HEADER_S", "DecodedAudio", "DecodingAudio",
           "decode_file", "decode_stream", "load_audio", "short_of_header"]

#: Address-space limit of the decoder child [bytes].
DECODE_MEMORY_LIMIT_BYTES = 3 * 1024**3
#: Decoded audio this much shorter than the header's duration counts as cut short [seconds]
#: (well above an MP3's encoder delay and padding, about 0.05 s).
SHORT_OF_HEADER_S = 0.5
#: How often a reader waiting for samples looks at the growing file [seconds].
_POLL_S = 0.005
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
        return _read_samples(self.raw_path, start, min(count, self.frames - max(start, 0)),
                             total=self.frames)


def _read_samples(raw: Path, start: int, count: int, *, total: int | None = None) -> np.ndarray:
    """Up to ``count`` float32 samples of ``raw`` from ``start`` (clamped to the file)."""
    start = max(0, start if total is None else min(start, total))
    count = max(0, count)
    with raw.open("rb") as handle:
        handle.seek(start * 4)
        return np.fromfile(handle, dtype="<f4", count=count).astype(np.float32, copy=False)


def short_of_header(frames: int, *, sr: int, declared_duration_s: float | None) -> bool:
    """Whether ``frames`` decoded samples end more than ``SHORT_OF_HEADER_S`` before the header's
    duration (unknown durations never count)."""
    if declared_duration_s is None:
        return False
    return frames / sr < declared_duration_s - SHORT_OF_HEADER_S


def _answer_status(answer: dict[str, Any]) -> dict[str, float]:
    """The child's status for one file, or the typed error it answered."""
    if "error" in answer:
        error = answer["error"]
        raise _ERRORS.get(error.get("code"), AudioDecodeError)(str(error.get("message")))
    if "frames" not in answer:
        raise DecoderCrashedError("the decoder crashed on this file", extra={"returncode": None})
    return {key: float(value) for key, value in answer.items()}


class DecodingAudio:
    """Samples a decoder child is still writing, readable as they arrive.

    ``read`` and ``wait_for`` serve the feature extraction while the child decodes on the other
    core; ``result`` waits for the child's answer and gives the ``DecodedAudio`` (or raises its
    typed error). Any thread may call any of them.
    """

    def __init__(self, child: DecoderChild, raw: Path, info: AudioInfo, *, sr: int,
                 max_frames: int, timeout_s: float) -> None:
        self.sr = sr
        #: ``time.perf_counter()`` when the child's answer was seen (None until then).
        self.finished_at: float | None = None
        self._child, self._raw, self._info = child, raw, info
        self._max_frames = max_frames
        self._deadline = time.monotonic() + timeout_s
        self._timeout_s = timeout_s
        self._lock = threading.Lock()
        self._answer: dict[str, Any] | None = None
        self._outcome: DecodedAudio | GenreLensError | None = None

    @property
    def expected_samples(self) -> int:
        """Samples the file should give: the header's duration within the cap, or what has
        arrived when the header says nothing (for progress only)."""
        declared = self._info.declared_duration_s
        expected = 0 if declared is None else min(int(declared * self.sr), self._max_frames)
        return max(expected, self._available())

    def _available(self) -> int:
        try:
            return self._raw.stat().st_size // 4
        except FileNotFoundError:
            return 0

    def _ended(self) -> bool:
        """Whether the child has answered, crashed or run out of time (looked at once)."""
        with self._lock:
            if self._answer is None and self._outcome is None:
                try:
                    answer = self._child.answer(0.0)
                except DecoderCrashedError as error:
                    self._outcome = error
                else:
                    if answer is not None:
                        self._answer, self.finished_at = answer, time.perf_counter()
                    elif time.monotonic() > self._deadline:
                        self._child.close()
                        self._outcome = DecoderTimeoutError(
                            f"decoding took longer than {self._timeout_s:.0f} s and was stopped")
            return self._answer is not None or self._outcome is not None

    def wait_for(self, samples: int) -> tuple[int, bool]:
        """Block until ``samples`` samples are decoded or the decoder has finished.

        Returns the samples available and whether that is all of them. Raises the decoder's
        typed error as soon as it has failed.
        """
        while not self._ended():
            available = self._available()
            if available >= samples:
                return available, False
            time.sleep(_POLL_S)
        return self.result().frames, True

    def read(self, start: int, count: int) -> np.ndarray:
        """Samples ``[start, start + count)`` of those decoded so far, float32 [shape=(m,)]."""
        return _read_samples(self._raw, start, min(count, self._available() - start))

    def result(self) -> DecodedAudio:
        """Wait for the child's answer: the decoded audio, or its typed error (raised)."""
        while not self._ended():
            time.sleep(_POLL_S)
        with self._lock:
            if self._outcome is None:
                assert self._answer is not None
                try:
                    self._outcome = self._decoded(_answer_status(self._answer))
                except GenreLensError as error:
                    self._outcome = error
            outcome = self._outcome
        if isinstance(outcome, GenreLensError):
            raise outcome
        return outcome

    def _decoded(self, status: dict[str, float]) -> DecodedAudio:
        frames = int(status["frames"])
        if frames < MIN_SECONDS * self.sr:
            raise AudioTooShortError(
                f"{frames / self.sr:.1f} s of audio decoded; at least "
                f"{MIN_SECONDS:.0f} s are needed",
                extra={"duration_analyzed_s": frames / self.sr},
            )
        energies = np.load(self._raw.with_suffix(".loudness.npy"))
        loudness = summarize_loudness(energies, peak=status["peak"])
        truncated = bool(status["truncated"]) or short_of_header(
            frames, sr=self.sr, declared_duration_s=self._info.declared_duration_s)
        return DecodedAudio(self._raw, self.sr, frames, truncated, self._info, loudness)

    def stop(self) -> None:
        """Kill the child if it is still on this file (the analysis stopped waiting for it)."""
        with self._lock:
            if self._answer is None and self._outcome is None:
                self._child.close()


@contextlib.contextmanager
def decode_stream(
    path: str | os.PathLike[str],
    *,
    sr: int = SAMPLE_RATE,
    max_seconds: float = MAX_ANALYSIS_SECONDS,
    timeout_s: float = DECODE_TIMEOUT_S,
    memory_limit_bytes: int = DECODE_MEMORY_LIMIT_BYTES,
) -> Iterator[DecodingAudio]:
    """Probe ``path`` and hand it to an isolated decoder child; yield the samples as they come.

    Parameters and errors as ``decode_file``; the decoder's own errors come from
    ``DecodingAudio.wait_for`` or ``result``. A child still decoding after the ``with`` block
    is killed; one that answered is kept for the next file (``genrelens.audio.decoder``).
    """
    if sr <= 0 or max_seconds <= 0 or timeout_s <= 0:
        raise InvalidParameterError(
            f"sr, max_seconds and timeout_s must be positive, got {sr}, {max_seconds}, {timeout_s}"
        )
    src = Path(path)
    info = probe_file(src)
    with tempfile.TemporaryDirectory(prefix="genrelens-decode-") as tmp, \
            decoder_child(memory_limit_bytes) as child:
        raw = Path(tmp) / "samples.f32"
        max_frames = int(max_seconds * sr)
        child.send({"src": str(src), "dst": str(raw), "format": info.format, "sr": sr,
                    "max_frames": max_frames, "test_hook": os.environ.get(TEST_HOOK_ENV, "")})
        decoding = DecodingAudio(child, raw, info, sr=sr, max_frames=max_frames, timeout_s=timeout_s)
        try:
            yield decoding
        finally:
            decoding.stop()


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
    with decode_stream(path, sr=sr, max_seconds=max_seconds, timeout_s=timeout_s,
                       memory_limit_bytes=memory_limit_bytes) as decoding:
        yield decoding.result()


def load_audio(
    path: str | os.PathLike[str], *, sr: int = SAMPLE_RATE, max_seconds: float = 600.0
) -> np.ndarray:
    """Decode a whole (short) file into memory: mono float32 [shape=(n,)] at ``sr``.

    For training data and tools; the analysis of long files streams through ``decode_file``.
    """
    with decode_file(path, sr=sr, max_seconds=max_seconds) as decoded:
        return decoded.read(0, decoded.frames)
