"""The track's frame trace: the few frame-rate curves that outlive their chunk.

Downbeats and sections look at the whole track at frame rate, but only at five curves of it
(and at chroma at a quarter of the rate): 32 bytes a frame, about 15 MB at the 3-hour cap,
where the rest of extraction keeps no frame beyond its chunk.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from genrelens.features.frames import FrameFeatures

__all__ = ["CHROMA_DECIMATION", "FrameTrace", "trace_part", "join_traces", "span_means",
           "peak_near"]

#: Frames averaged into one chroma column of the trace (chunks start on multiples of it).
CHROMA_DECIMATION = 4


@dataclass(frozen=True)
class FrameTrace:
    """Frame-rate curves of a whole track.

    Attributes
    ----------
    bands : np.ndarray [shape=(3, t)]
        Low (kick), mid (snare, clap) and high (hats, crashes) onset strength [dB flux].
    rms_db : np.ndarray [shape=(t,)] [dB]
    bass_share : np.ndarray [shape=(t,)]
        Share of the power below 150 Hz.
    chroma : np.ndarray [shape=(12, ceil(t / CHROMA_DECIMATION))]
        Frame chroma averaged over ``CHROMA_DECIMATION`` frames.
    """

    bands: np.ndarray
    rms_db: np.ndarray
    bass_share: np.ndarray
    chroma: np.ndarray

    @property
    def n_frames(self) -> int:
        return int(self.rms_db.shape[0])


def trace_part(frames: FrameFeatures, stop: int) -> FrameTrace:
    """The trace of a chunk's frames ``[0, stop)`` (the part no later chunk overlaps)."""
    columns = -(-stop // CHROMA_DECIMATION)
    padded = np.zeros((12, columns * CHROMA_DECIMATION), dtype=np.float32)
    padded[:, :stop] = frames.chroma[:, :stop]
    counts = np.full(columns, CHROMA_DECIMATION, dtype=np.float32)
    counts[-1] = stop - (columns - 1) * CHROMA_DECIMATION
    chroma = padded.reshape(12, columns, CHROMA_DECIMATION).sum(axis=2) / counts
    return FrameTrace(frames.bands[:, :stop].astype(np.float32),
                      frames.rms_db[:stop].astype(np.float32),
                      frames.bass_share[:stop].astype(np.float32), chroma.astype(np.float32))


def join_traces(parts: list[FrameTrace]) -> FrameTrace:
    """Chunk traces end to end (each but the last spans a multiple of ``CHROMA_DECIMATION``)."""
    return FrameTrace(np.concatenate([p.bands for p in parts], axis=1),
                      np.concatenate([p.rms_db for p in parts]),
                      np.concatenate([p.bass_share for p in parts]),
                      np.concatenate([p.chroma for p in parts], axis=1))


def span_means(curve: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Mean of ``curve`` [shape=(..., t)] over each span ``[edges[i], edges[i + 1])``.

    ``edges`` are fractional positions on the curve's axis, rounded to whole samples; a span
    shorter than one sample takes the sample it starts on.
    """
    n = curve.shape[-1]
    bounds = np.clip(np.round(edges).astype(np.int64), 0, n)
    starts = np.minimum(bounds[:-1], n - 1)
    stops = np.maximum(bounds[1:], starts + 1)
    cumulative = np.concatenate([np.zeros((*curve.shape[:-1], 1)), np.cumsum(curve, axis=-1)], axis=-1)
    return np.asarray((cumulative[..., stops] - cumulative[..., starts]) / (stops - starts))


def peak_near(curve: np.ndarray, positions: np.ndarray, *, radius: int = 2) -> np.ndarray:
    """Largest value of ``curve`` [shape=(t,)] within ``radius`` samples of each position."""
    centres = np.clip(np.round(positions).astype(np.int64), 0, len(curve) - 1)
    offsets = np.arange(-radius, radius + 1)
    index = np.clip(centres[:, None] + offsets[None, :], 0, len(curve) - 1)
    return np.asarray(curve[index].max(axis=1))
