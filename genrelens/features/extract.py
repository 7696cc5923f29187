"""Chunked feature extraction: bounded memory for any length, one STFT per chunk.

A track is cut into chunks of up to ``CHUNK_WINDOWS`` analysis windows. Each chunk is read,
transformed once, reduced to window vectors and log-mel patches (handed to an optional
consumer, e.g. the genre model, then dropped), and summarised into running track statistics.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from genrelens.errors import InvalidAudioError, InvalidParameterError
from genrelens.features.constants import (
    FRAMES_PER_SECOND,
    HOP_LENGTH,
    N_FFT,
    SAMPLE_RATE,
    WINDOW_FRAMES,
    WINDOW_HOP_FRAMES,
)
from genrelens.features.frames import frame_features
from genrelens.features.rhythm import Beats, combine_beats, kick_periodicity, track_beats
from genrelens.features.spectrogram import spectrogram
from genrelens.features.tonal import Key, estimate_key, key_chroma
from genrelens.features.trace import FrameTrace, join_traces, trace_part
from genrelens.features.windows import FEATURE_NAMES, window_vector

__all__ = [
    "CHUNK_WINDOWS",
    "WindowBatch",
    "TrackFeatures",
    "window_starts",
    "chunk_plan",
    "extract_stream",
    "extract_signal",
]

#: Windows per chunk: about 48 s of audio, so one chunk's STFT stays near 10 MB.
CHUNK_WINDOWS = 16
_MIN_TAIL_WINDOWS = 6

Reader = Callable[[int, int], np.ndarray]
#: ``wait_for(samples) -> (available, finished)`` of a signal that is still arriving.
WaitFor = Callable[[int], tuple[int, bool]]
Progress = Callable[[int], None]


@dataclass(frozen=True)
class WindowBatch:
    """Windows of one chunk.

    Attributes
    ----------
    start_s : np.ndarray [shape=(n,)] [seconds]
    vectors : np.ndarray [shape=(n, N_FEATURES)], named by ``FEATURE_NAMES``
    log_mel : np.ndarray [shape=(n, N_MELS, WINDOW_FRAMES)] [dB]
    """

    start_s: np.ndarray
    vectors: np.ndarray
    log_mel: np.ndarray


@dataclass(frozen=True)
class TrackFeatures:
    """Track-level summary of every window (no log-mel kept)."""

    window_start_s: np.ndarray
    vectors: np.ndarray
    beats: Beats
    tempo_stable: bool
    key: Key | None
    duration_s: float
    #: ``kick_periodicity`` of the kick band and of the 150 Hz-3 kHz band [shape=(2, 2)],
    #: averaged over chunks (weighted by length), for the rhythm pattern.
    kick_repeat: np.ndarray
    #: The frame-rate curves the bar grid and the sections read.
    trace: FrameTrace

    def mean_features(self) -> dict[str, float]:
        """Mean of each named window feature over the track."""
        means = self.vectors.mean(axis=0)
        return {name: float(value) for name, value in zip(FEATURE_NAMES, means, strict=True)}


def window_starts(n_frames: int) -> np.ndarray:
    """First frame of each analysis window of a signal with ``n_frames`` STFT frames.

    A signal shorter than one window still gets one (padded) window.
    """
    if n_frames <= 0:
        raise InvalidParameterError(f"n_frames must be positive, got {n_frames}")
    last = max(n_frames - WINDOW_FRAMES, 0)
    return np.arange(0, last + 1, WINDOW_HOP_FRAMES, dtype=np.int64)


def chunk_plan(n_windows: int) -> list[tuple[int, int]]:
    """Split window indices into ``[first, stop)`` chunks; a short tail joins the chunk before."""
    bounds = list(range(0, n_windows, CHUNK_WINDOWS)) + [n_windows]
    plan = list(zip(bounds[:-1], bounds[1:], strict=True))
    if len(plan) > 1 and plan[-1][1] - plan[-1][0] < _MIN_TAIL_WINDOWS:
        tail = plan.pop()
        plan[-1] = (plan[-1][0], tail[1])
    return plan


def _patch(log_mel: np.ndarray, start: int) -> np.ndarray:
    patch = log_mel[:, start : start + WINDOW_FRAMES]
    if patch.shape[1] < WINDOW_FRAMES:  # a clip shorter than one window: loop it
        reps = -(-WINDOW_FRAMES // patch.shape[1])
        patch = np.tile(patch, (1, reps))[:, :WINDOW_FRAMES]
    return patch


def _needed_samples(windows: int) -> int:
    """Samples a signal needs for ``windows`` analysis windows (inverse of ``window_starts``)."""
    frames = (windows - 1) * WINDOW_HOP_FRAMES + WINDOW_FRAMES
    return (frames - 1) * HOP_LENGTH


def extract_stream(
    read: Reader,
    length: int | WaitFor,
    *,
    sr: int = SAMPLE_RATE,
    consumer: Callable[[WindowBatch], None] | None = None,
    progress: Progress | None = None,
) -> TrackFeatures:
    """Extract features of a signal read chunk by chunk through ``read(start, count)``.

    Parameters
    ----------
    read : callable
        ``read(start_sample, count) -> np.ndarray`` of float32 mono samples.
    length : int or callable
        Length of the signal [samples], at least ``N_FFT``; or, for a signal still being
        decoded, ``wait_for(samples) -> (available, finished)``, which blocks until
        ``samples`` samples can be read or the signal has ended. A chunk is worked on as soon
        as its samples and the shortest tail after it have arrived, so the features keep pace
        with the decoder; the chunks, and so the results, are those of the whole signal.
    sr : int [Hz]
    consumer : callable, optional
        Receives each chunk's ``WindowBatch`` (log-mel patches are not kept otherwise).
    progress : callable, optional
        Receives the count of samples whose features are done.

    Raises
    ------
    InvalidAudioError
        The signal is shorter than one STFT frame or holds non-finite samples.
    """
    if sr != SAMPLE_RATE:
        raise InvalidParameterError(
            f"features are defined at sr={SAMPLE_RATE} Hz, got sr={sr}; decode or resample first"
        )
    wait_for: WaitFor = length if callable(length) else (lambda samples: (length, True))
    acc = _Accumulator()
    first = 0
    while True:
        have, finished = wait_for(_needed_samples(first + CHUNK_WINDOWS + _MIN_TAIL_WINDOWS))
        if have < _needed_samples(first + CHUNK_WINDOWS + _MIN_TAIL_WINDOWS):
            break  # the signal ended: what is left is planned whole below
        starts = np.arange(first, first + CHUNK_WINDOWS + 1) * WINDOW_HOP_FRAMES
        acc.add(read, starts, last=False, sr=sr, consumer=consumer)
        first += CHUNK_WINDOWS
        if progress is not None:
            progress(int(starts[-1]) * HOP_LENGTH)
    if have < N_FFT:
        raise InvalidAudioError(f"need at least {N_FFT} samples, got {have}")
    n_frames = 1 + have // HOP_LENGTH
    starts = window_starts(n_frames)
    for begin, stop in chunk_plan(len(starts)):
        if begin < first:
            continue
        acc.add(read, starts[begin : stop + 1], last=stop == len(starts), sr=sr, consumer=consumer,
                n_samples=have)
    if progress is not None:
        progress(have)
    return acc.track(starts, have / sr)


class _Accumulator:
    """The running track statistics of the chunks worked on so far."""

    def __init__(self) -> None:
        self.vectors: list[np.ndarray] = []
        self.beats: list[Beats] = []
        self.traces: list[FrameTrace] = []
        self.chroma_sum, self.key_sum = np.zeros(12), np.zeros((2, 12))
        self.kick_sum, self.kick_frames = np.zeros((2, 2)), 0

    def add(self, read: Reader, starts: np.ndarray, *, last: bool, sr: int,
            consumer: Callable[[WindowBatch], None] | None, n_samples: int | None = None) -> None:
        """Work on the chunk of windows ``starts[:-1]`` (``starts[-1]``: the next chunk's first
        window, absent for the last chunk, given with the signal's length ``n_samples``)."""
        own_starts = starts if last else starts[:-1]
        frame0 = int(own_starts[0])
        frame_stop = int(own_starts[-1]) + WINDOW_FRAMES
        if n_samples is not None:
            frame_stop = min(frame_stop, 1 + n_samples // HOP_LENGTH)
        y = read(frame0 * HOP_LENGTH, (frame_stop - frame0 - 1) * HOP_LENGTH + 1)
        if len(y) < N_FFT:
            y = np.pad(y, (0, N_FFT - len(y)))
        spec = spectrogram(y, sr=sr, n_frames=frame_stop - frame0)
        frames = frame_features(y, spec)
        own = spec.n_frames if last else int(starts[-1]) - frame0
        self.traces.append(trace_part(frames, own))
        beats = track_beats(frames.onset, accent=frames.bands[0])
        if beats.bpm > 0:
            period = 60.0 * FRAMES_PER_SECOND / beats.bpm
            self.kick_sum += spec.n_frames * np.stack([kick_periodicity(band, period)
                                                         for band in frames.bands[:2]])
            self.kick_frames += spec.n_frames
        local = own_starts - frame0
        stop_frames = np.minimum(local + WINDOW_FRAMES, spec.n_frames)
        batch_vectors = np.stack([
            window_vector(frames, int(a), int(b), beats) for a, b in zip(local, stop_frames, strict=True)
        ])
        batch_vectors = np.nan_to_num(batch_vectors, nan=0.0, posinf=0.0, neginf=0.0)
        self.vectors.append(batch_vectors)
        self.chroma_sum += frames.chroma.sum(axis=1)
        # The key hears every sample once: the chunk's own part, and after the last window (which
        # can stop a window hop short of the end: an 8 s clip's one window covers 5.9 s) the rest.
        heard = (read(frame0 * HOP_LENGTH, n_samples - frame0 * HOP_LENGTH)
                 if last and n_samples is not None else y[: own * HOP_LENGTH])
        self.key_sum += key_chroma(heard, sr=sr)
        self.beats.append(Beats(beats.bpm, beats.times + frame0, beats.confidence, beats.alternatives))
        if consumer is not None:
            log_mel = np.stack([_patch(frames.log_mel, int(a)) for a in local])
            consumer(WindowBatch(own_starts / FRAMES_PER_SECOND, batch_vectors, log_mel))

    def track(self, starts: np.ndarray, duration_s: float) -> TrackFeatures:
        beats, stable = combine_beats(self.beats)
        return TrackFeatures(
            window_start_s=starts / FRAMES_PER_SECOND,
            vectors=np.concatenate(self.vectors),
            beats=beats,
            tempo_stable=stable,
            key=estimate_key(self.key_sum[0], tonality=self.chroma_sum, chords=self.key_sum[1]),
            duration_s=duration_s,
            kick_repeat=self.kick_sum / max(self.kick_frames, 1),
            trace=join_traces(self.traces),
        )


def extract_signal(y: np.ndarray, *, sr: int = SAMPLE_RATE) -> tuple[TrackFeatures, WindowBatch]:
    """Features of an in-memory signal plus all its windows (training and tests)."""
    if y.ndim != 1:
        raise InvalidAudioError(f"need a mono signal, got shape {y.shape}")
    batches: list[WindowBatch] = []
    track = extract_stream(lambda s, n: y[s : s + n], len(y), sr=sr, consumer=batches.append)
    merged = WindowBatch(
        np.concatenate([b.start_s for b in batches]),
        np.concatenate([b.vectors for b in batches]),
        np.concatenate([b.log_mel for b in batches]),
    )
    return track, merged
