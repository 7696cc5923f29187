"""musicnn tag probabilities and embeddings of any mono audio: per patch, pooled, batched, streamed.

:class:`MusicnnBackbone` loads a shipped model (``"msd"``: Million Song Dataset tags, ``"mtt"``:
MagnaTagATune tags), resamples the input to 16 kHz with soxr, cuts it into musicnn's 3-second
patches (187 mel frames, by default back to back as musicnn's ``extractor`` does) and runs them
through the network in batches. :meth:`MusicnnBackbone.stream` consumes audio block by block, so a
long track never needs more memory than one block plus one batch of patches.

The network runs on ONNX Runtime from the graphs ``tools/export_onnx.py`` writes from the
converted weights (``genrelens.backbone.export``, with torch); this module imports no torch.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
import soxr

from genrelens.backbone.frontend import (
    HOP_LENGTH,
    N_FFT,
    N_MELS,
    PATCH_FRAMES,
    PATCH_SAMPLES,
    SAMPLE_RATE,
    log_mel,
)
from genrelens.backbone.tags import TAGS
from genrelens.errors import (
    AudioTooShortError,
    InvalidAudioError,
    InvalidParameterError,
    ModelMismatchError,
)
from genrelens.runtime import graph_metadata, onnx_session

__all__ = [
    "ModelName",
    "Layer",
    "MODEL_FILES",
    "GRAPH_FILES",
    "FORMAT_VERSION",
    "GRAPH_META_KEY",
    "weights_path",
    "graph_path",
    "check_meta",
    "BATCH_SIZE",
    "PATCH_SECONDS",
    "MIN_SAMPLES",
    "BackboneOutput",
    "TrackSummary",
    "MusicnnBackbone",
    "load_backbone",
]

ModelName = Literal["msd", "mtt"]
Layer = Literal["penultimate", "mean_pool", "max_pool"]

#: Model key -> weights file in ``genrelens/backbone/weights``.
MODEL_FILES: dict[str, str] = {"msd": "msd_musicnn.npz", "mtt": "mtt_musicnn.npz"}
#: Model key -> ONNX graph exported from those weights, in the same folder.
GRAPH_FILES: dict[str, str] = {"msd": "msd_musicnn.onnx", "mtt": "mtt_musicnn.onnx"}
#: Metadata key under which a graph carries its weights file's ``__meta__`` (plus its digest).
GRAPH_META_KEY = "genrelens"
#: Layout version of the weights files this code reads (written by tools/convert_musicnn.py).
FORMAT_VERSION = 1
#: Patches per forward pass. ONNX Runtime holds every intermediate map of a run at once, about
#: 27 MB per patch here, so small batches bound the peak: measured on the project machine (MSD
#: graph, 16 patches, 2 threads), peak RSS 133 / 163 / 216 / 330 MB at batches of 1 / 2 / 4 / 8,
#: with 2 no slower than any larger batch.
BATCH_SIZE = 2
#: Length of one patch [seconds] (187 hops of 16 ms).
PATCH_SECONDS = PATCH_FRAMES * HOP_LENGTH / SAMPLE_RATE
#: Fewest 16 kHz samples that give one whole patch (about 2.98 s).
MIN_SAMPLES = (PATCH_FRAMES - 1) * HOP_LENGTH
#: Input samples per block when a whole array is streamed through :meth:`MusicnnBackbone.stream`.
_BLOCK_SAMPLES = 1 << 20
#: Feature parameters a weights file must declare (checked on load).
_FEATURES = {
    "sr": SAMPLE_RATE,
    "n_fft": N_FFT,
    "hop_length": HOP_LENGTH,
    "n_mels": N_MELS,
    "n_frames": PATCH_FRAMES,
}


@dataclass(frozen=True)
class TrackSummary:
    """One track's pooled outputs: the mean over its patches (the max for ``max_pool``)."""

    probabilities: np.ndarray  #: [shape=(n_tags,)] mean tag probability
    penultimate: np.ndarray  #: [shape=(200,)] mean penultimate embedding
    mean_pool: np.ndarray  #: [shape=(753,)] mean of the patches' time-averaged maps
    max_pool: np.ndarray  #: [shape=(753,)] max of the patches' time-maxed maps


@dataclass(frozen=True)
class BackboneOutput:
    """Per-patch outputs of a run over some audio.

    ``starts_s[i]`` is where patch ``i`` begins [seconds]; it covers ``PATCH_SECONDS`` from there.
    """

    model: str
    labels: tuple[str, ...]
    starts_s: np.ndarray  #: [shape=(n,)]
    probabilities: np.ndarray  #: [shape=(n, n_tags)] sigmoid of the logits, as musicnn reports
    penultimate: np.ndarray  #: [shape=(n, 200)]
    mean_pool: np.ndarray  #: [shape=(n, 753)]
    max_pool: np.ndarray  #: [shape=(n, 753)]

    @property
    def n_patches(self) -> int:
        return int(self.starts_s.shape[0])

    def summary(self) -> TrackSummary:
        """Pool the patches into one track-level summary (see :class:`TrackSummary`)."""
        return TrackSummary(
            probabilities=self.probabilities.mean(axis=0),
            penultimate=self.penultimate.mean(axis=0),
            mean_pool=self.mean_pool.mean(axis=0),
            max_pool=self.max_pool.max(axis=0),
        )

    def top_tags(self, k: int = 5) -> list[tuple[str, float]]:
        """The ``k`` tags with the highest track-level (mean) probability, best first."""
        if k < 1:
            raise InvalidParameterError(f"k must be at least 1, got {k}")
        mean = self.probabilities.mean(axis=0)
        order = np.argsort(-mean, kind="stable")[:k]
        return [(self.labels[i], float(mean[i])) for i in order]

    @staticmethod
    def concatenate(parts: list[BackboneOutput]) -> BackboneOutput:
        """Join the outputs of consecutive batches (as :meth:`MusicnnBackbone.stream` yields)."""
        first = parts[0]
        return BackboneOutput(
            model=first.model,
            labels=first.labels,
            starts_s=np.concatenate([p.starts_s for p in parts]),
            probabilities=np.concatenate([p.probabilities for p in parts]),
            penultimate=np.concatenate([p.penultimate for p in parts]),
            mean_pool=np.concatenate([p.mean_pool for p in parts]),
            max_pool=np.concatenate([p.max_pool for p in parts]),
        )


def _shipped(name: str, files: dict[str, str]) -> Path:
    if name not in files:
        raise InvalidParameterError(f"unknown musicnn model {name!r}; choose one of {sorted(files)}")
    return Path(str(resources.files("genrelens.backbone") / "weights" / files[name]))


def weights_path(name: str) -> Path:
    """The shipped converted weights (``.npz``) of model ``name``: the graphs' source."""
    return _shipped(name, MODEL_FILES)


def graph_path(name: str) -> Path:
    """The shipped ONNX graph of model ``name``."""
    return _shipped(name, GRAPH_FILES)


def check_meta(meta: object, name: str, path: Path) -> None:
    """Refuse weights or a graph whose metadata does not match this code's model ``name``."""
    if not isinstance(meta, dict):
        raise ModelMismatchError(f"{path} has no GenreLens musicnn metadata")
    expected = {
        "format": "genrelens-musicnn",
        "format_version": FORMAT_VERSION,
        "labels": list(TAGS[name]),
        "features": _FEATURES,
    }
    for key, value in expected.items():
        if meta.get(key) != value:
            raise ModelMismatchError(
                f"{path}: {key} is {meta.get(key)!r}, this code expects {value!r}",
                extra={"field": key},
            )


def _validated_block(block: np.ndarray) -> np.ndarray:
    arr = np.asarray(block)
    if arr.ndim != 1:
        raise InvalidAudioError(f"audio must be mono [shape=(n,)], got shape {arr.shape}")
    if not np.issubdtype(arr.dtype, np.floating):
        raise InvalidAudioError(f"audio must be floating point, got dtype {arr.dtype}")
    if not np.all(np.isfinite(arr)):
        raise InvalidAudioError("audio contains NaN or infinite samples")
    return arr.astype(np.float32, copy=False)


class _PatchCutter:
    """Cuts centre-padded 16 kHz audio, arriving in blocks, into patch segments.

    Patch ``p`` reads padded samples ``[p * hop * 256, p * hop * 256 + PATCH_SAMPLES)``, where the
    padding is ``N_FFT // 2`` zeros at each end (librosa's ``center=True``), so the segments are
    the same however the audio is split into blocks.
    """

    def __init__(self, hop_frames: int) -> None:
        self.hop_samples = hop_frames * HOP_LENGTH
        self.buffer = np.zeros(N_FFT // 2, dtype=np.float32)
        self.buffer_start = 0  # padded-signal index of buffer[0]
        self.next_patch = 0
        self.received = 0

    def push(self, samples: np.ndarray) -> Iterator[tuple[int, np.ndarray]]:
        """Add audio; return the patches it completes."""
        self.received += samples.shape[0]
        return self._cut(samples)

    def finish(self) -> Iterator[tuple[int, np.ndarray]]:
        """Add the trailing padding; return the last patches.

        With both paddings the padded signal has ``n + 512`` samples, so the patches that fit in
        it are exactly those whose 187 frames all exist among librosa's ``1 + n // 256``.
        """
        return self._cut(np.zeros(N_FFT // 2, dtype=np.float32))

    def _cut(self, samples: np.ndarray) -> Iterator[tuple[int, np.ndarray]]:
        self.buffer = np.concatenate([self.buffer, samples])
        while True:
            start = self.next_patch * self.hop_samples - self.buffer_start
            if start + PATCH_SAMPLES > self.buffer.shape[0]:
                break
            yield self.next_patch, self.buffer[start : start + PATCH_SAMPLES].copy()
            self.next_patch += 1
        # A hop longer than a patch skips audio that may not have arrived yet: keep what we have.
        keep_from = min(self.next_patch * self.hop_samples - self.buffer_start, len(self.buffer))
        self.buffer = self.buffer[keep_from:]
        self.buffer_start += keep_from


class MusicnnBackbone:
    """A loaded musicnn model with its front end, ready for inference on CPU.

    Use :meth:`load` (or the cached :func:`load_backbone`) rather than the constructor.

    Examples
    --------
    >>> backbone = MusicnnBackbone.load("mtt")
    >>> y = 0.1 * np.random.default_rng(440).standard_normal(16000 * 7).astype(np.float32)
    >>> out = backbone.analyze(y, sr=16000)
    >>> out.probabilities.shape, out.penultimate.shape
    ((2, 50), (2, 200))
    """

    def __init__(self, session: Any, *, name: str, labels: tuple[str, ...]) -> None:
        self.name = name
        self.labels = labels
        self._session = session

    @classmethod
    def load(
        cls, name: ModelName = "msd", *, path: str | Path | None = None, threads: int | None = None
    ) -> MusicnnBackbone:
        """Load a shipped model (or a graph file at ``path`` exported for model ``name``).

        Raises
        ------
        InvalidParameterError
            ``name`` is neither ``"msd"`` nor ``"mtt"``.
        ModelMismatchError
            The graph is missing or unreadable, or its labels, feature parameters or format do
            not match this code.
        """
        graph = graph_path(name) if path is None else Path(path)
        if not graph.is_file():
            raise ModelMismatchError(
                f"musicnn graph {graph} is missing (python tools/export_onnx.py writes it)"
            )
        try:
            session = onnx_session(graph, threads=threads)
        except Exception as exc:  # noqa: BLE001 - onnxruntime raises its own untyped errors
            raise ModelMismatchError(f"{graph}: not a readable ONNX graph ({type(exc).__name__})") from exc
        check_meta(graph_metadata(session, GRAPH_META_KEY), name, graph)
        return cls(session, name=name, labels=TAGS[name])

    def _run(
        self, indices: list[int], segments: list[np.ndarray], hop_frames: int
    ) -> BackboneOutput:
        probabilities, penultimate, mean_pool, max_pool = self._session.run(
            None, {"log_mel": log_mel(np.stack(segments))}
        )
        return BackboneOutput(
            model=self.name,
            labels=self.labels,
            starts_s=np.asarray(indices, dtype=np.float64) * hop_frames * HOP_LENGTH / SAMPLE_RATE,
            probabilities=probabilities,
            penultimate=penultimate,
            mean_pool=mean_pool,
            max_pool=max_pool,
        )

    def stream(
        self,
        blocks: Iterable[np.ndarray],
        *,
        sr: int,
        hop_frames: int = PATCH_FRAMES,
        batch_size: int = BATCH_SIZE,
    ) -> Iterator[BackboneOutput]:
        """Run the model over audio that arrives block by block; yield one output per batch.

        Parameters
        ----------
        blocks : iterable of np.ndarray [shape=(n_i,)]
            Consecutive mono floating-point blocks of one signal at ``sr``.
        sr : int [Hz]
            Sample rate of the blocks; anything but 16 kHz is resampled with soxr (HQ).
        hop_frames : int [frames]
            Patch hop; 187 (the default) gives musicnn's back-to-back 3-second patches,
            smaller values overlap them (93 gives a patch every 1.49 s).
        batch_size : int
            Patches per forward pass.

        Yields
        ------
        out : BackboneOutput
            Consecutive patches, at most ``batch_size`` of them.

        Raises
        ------
        InvalidParameterError
            ``sr``, ``hop_frames`` or ``batch_size`` is not a positive integer.
        InvalidAudioError
            A block is not 1-D floating point, or holds NaN or infinite samples.
        AudioTooShortError
            The whole signal gives no complete patch (under about 2.98 s).
        """
        for label, value in (("sr", sr), ("hop_frames", hop_frames), ("batch_size", batch_size)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InvalidParameterError(f"{label} must be a positive integer, got {value!r}")
        resampler = None if sr == SAMPLE_RATE else soxr.ResampleStream(sr, SAMPLE_RATE, 1)
        cutter = _PatchCutter(hop_frames)
        indices: list[int] = []
        segments: list[np.ndarray] = []

        def patches() -> Iterator[tuple[int, np.ndarray]]:
            for block in blocks:
                samples = _validated_block(block)
                if resampler is not None:
                    samples = resampler.resample_chunk(samples)
                yield from cutter.push(samples)
            if resampler is not None:
                yield from cutter.push(resampler.resample_chunk(np.zeros(0, np.float32), last=True))
            yield from cutter.finish()

        emitted = 0
        for index, segment in patches():
            indices.append(index)
            segments.append(segment)
            if len(segments) == batch_size:
                yield self._run(indices, segments, hop_frames)
                emitted += len(segments)
                indices, segments = [], []
        if segments:
            yield self._run(indices, segments, hop_frames)
            emitted += len(segments)
        if emitted == 0:
            seconds = cutter.received / SAMPLE_RATE
            raise AudioTooShortError(
                f"audio is {seconds:.2f} s long; musicnn needs at least "
                f"{MIN_SAMPLES / SAMPLE_RATE:.2f} s for one patch",
                extra={"seconds": seconds},
            )

    def analyze(
        self,
        y: np.ndarray,
        *,
        sr: int,
        hop_frames: int = PATCH_FRAMES,
        batch_size: int = BATCH_SIZE,
    ) -> BackboneOutput:
        """All per-patch outputs for a whole signal (streamed internally in blocks).

        Parameters
        ----------
        y : np.ndarray [shape=(n,)]
            Mono floating-point audio at ``sr``.
        sr, hop_frames, batch_size
            As in :meth:`stream`.

        Returns
        -------
        out : BackboneOutput

        Raises
        ------
        InvalidParameterError, InvalidAudioError, AudioTooShortError
            As in :meth:`stream`.
        """
        arr = _validated_block(y)
        starts = range(0, max(arr.shape[0], 1), _BLOCK_SAMPLES)
        blocks = (arr[i : i + _BLOCK_SAMPLES] for i in starts)
        parts = list(self.stream(blocks, sr=sr, hop_frames=hop_frames, batch_size=batch_size))
        return BackboneOutput.concatenate(parts)

    def tag_probabilities(
        self, y: np.ndarray, *, sr: int, hop_frames: int = PATCH_FRAMES
    ) -> tuple[np.ndarray, np.ndarray]:
        """Tag probabilities per patch [shape=(n, 50)] and pooled (mean) [shape=(50,)]."""
        out = self.analyze(y, sr=sr, hop_frames=hop_frames)
        return out.probabilities, out.summary().probabilities

    def embeddings(
        self,
        y: np.ndarray,
        *,
        sr: int,
        layer: Layer = "penultimate",
        hop_frames: int = PATCH_FRAMES,
    ) -> tuple[np.ndarray, np.ndarray]:
        """One embedding per patch and pooled per track (see :class:`TrackSummary`).

        ``layer`` is ``"penultimate"`` (200-d), ``"mean_pool"`` or ``"max_pool"`` (753-d each).
        """
        if layer not in ("penultimate", "mean_pool", "max_pool"):
            raise InvalidParameterError(f"unknown layer {layer!r}")
        out = self.analyze(y, sr=sr, hop_frames=hop_frames)
        per_patch: np.ndarray = getattr(out, layer)
        pooled: np.ndarray = getattr(out.summary(), layer)
        return per_patch, pooled


@functools.lru_cache(maxsize=len(MODEL_FILES))
def load_backbone(name: ModelName = "msd") -> MusicnnBackbone:
    """Load a shipped model once per process (the CLI, the analysis and the tests share it)."""
    return MusicnnBackbone.load(name)
