"""Turn labelled tracks into window sets: extract (or read cached) features per file."""

from __future__ import annotations

import multiprocessing
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TextIO

import numpy as np

from genrelens.datasets.sources import LabeledTrack
from genrelens.errors import DatasetError, GenreLensError, InvalidParameterError
from genrelens.train.data import WindowSet

__all__ = ["BuiltSet", "Extract", "build_window_set"]

#: Progress lines while extracting a set (besides the summary).
PROGRESS_LINES = 10
#: Tracks handed to a worker process at a time.
EXTRACT_CHUNK = 4

Extract = Callable[[LabeledTrack], dict[str, np.ndarray]]


@dataclass(frozen=True)
class BuiltSet:
    """Window arrays of some tracks.

    Parameters
    ----------
    windows : WindowSet
        ``track_ids - first_track_id`` index into ``tracks``.
    tracks : list of LabeledTrack
        The tracks that gave windows (failed files left out).
    starts_s : np.ndarray [shape=(n_windows,)]
    failures : list of (Path, str)
        Files that could not be read, with the error message.
    """

    windows: WindowSet
    tracks: list[LabeledTrack]
    starts_s: np.ndarray
    failures: list[tuple[Path, str]] = field(default_factory=list)


def _extract_or_message(extract: Extract, track: LabeledTrack) -> dict[str, np.ndarray] | str:
    """The track's arrays, or the message of the GenreLens error that stopped it.

    Errors travel as messages because exceptions with extra fields do not always survive the
    trip back from a worker process.
    """
    try:
        return extract(track)
    except GenreLensError as exc:
        return exc.message


def _single_threaded_worker() -> None:
    """Worker processes already share the cores; nested torch threads would only contend."""
    import torch

    torch.set_num_threads(1)


def _extract_all(
    extract: Extract, tracks: Sequence[LabeledTrack], workers: int
) -> Iterator[dict[str, np.ndarray] | str]:
    """Arrays (or error messages) of ``tracks`` in order, extracted by ``workers`` processes."""
    if workers < 1:
        raise InvalidParameterError(f"workers must be >= 1, got {workers}")
    if workers == 1 or len(tracks) < 2:
        yield from (_extract_or_message(extract, t) for t in tracks)
        return
    # spawn, not fork: the parent may hold torch's thread pools, which do not survive a fork.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_single_threaded_worker) as pool:
        yield from pool.map(partial(_extract_or_message, extract), tracks, chunksize=EXTRACT_CHUNK)


def build_window_set(
    tracks: Sequence[LabeledTrack],
    *,
    labels: Sequence[str],
    extract: Extract,
    name: str = "set",
    first_track_id: int = 0,
    progress: TextIO | None = sys.stderr,
    workers: int = 1,
) -> BuiltSet:
    """Extract the windows of every track, skipping (and reporting) files that fail.

    Parameters
    ----------
    tracks : sequence of LabeledTrack
    labels : sequence of str
        Label order of the model; every track's label must be in it.
    extract : callable
        ``extract(track) -> {"logmel", "summary", "starts_s"[, "embedding"]}``: decoded
        files (:func:`genrelens.train.windows.file_windows`) or rendered clips
        (:class:`genrelens.train.rendered.RenderExtractor`), usually cached.
    name : str
        Shown in progress lines.
    first_track_id : int
        Track id of the first kept track (give each split its own range, so the training
        loop can verify that no track is in two splits).
    progress : text stream or None
    workers : int
        Processes extracting in parallel (``extract`` must then be picklable). Features come
        out identical to one process's, in the same order; musicnn embeddings agree to float
        rounding (about 1e-6), as workers run torch on one thread.

    Raises
    ------
    DatasetError
        A label outside ``labels``, or no track could be read at all.
    """
    index = {lab: i for i, lab in enumerate(labels)}
    outside = sorted({t.label for t in tracks} - set(index))
    if outside:
        raise DatasetError(
            f"{name}: labels not known to the model: {', '.join(outside)}",
            extra={"labels": outside},
        )
    parts: dict[str, list[np.ndarray]] = {
        k: [] for k in ("logmel", "summary", "starts_s", "embedding", "labels", "track_ids")
    }
    kept: list[LabeledTrack] = []
    failures: list[tuple[Path, str]] = []
    every = max(1, len(tracks) // PROGRESS_LINES)
    t0 = time.perf_counter()
    for i, (track, arrays) in enumerate(zip(tracks, _extract_all(extract, tracks, workers), strict=True)):
        if isinstance(arrays, str):
            failures.append((track.path, arrays))
            continue
        n = arrays["logmel"].shape[0]
        tid = first_track_id + len(kept)
        kept.append(track)
        for key in ("logmel", "summary", "starts_s"):
            parts[key].append(arrays[key])
        if "embedding" in arrays:
            parts["embedding"].append(arrays["embedding"])
        parts["labels"].append(np.full(n, index[track.label], dtype=np.int64))
        parts["track_ids"].append(np.full(n, tid, dtype=np.int64))
        if progress is not None and ((i + 1) % every == 0 or i + 1 == len(tracks)):
            print(
                f"  {name}: {i + 1}/{len(tracks)} files, {time.perf_counter() - t0:.0f} s",
                file=progress,
                flush=True,
            )
    if not kept:
        raise DatasetError(
            f"{name}: none of {len(tracks)} files could be read"
            + (f" (first error: {failures[0][1]})" if failures else "")
        )
    has_emb = len(parts["embedding"]) == len(kept)
    windows = WindowSet(
        logmel=np.concatenate(parts["logmel"]).astype(np.float16),
        summary=np.concatenate(parts["summary"]).astype(np.float32),
        labels=np.concatenate(parts["labels"]),
        track_ids=np.concatenate(parts["track_ids"]),
        embedding=np.concatenate(parts["embedding"]).astype(np.float32) if has_emb else None,
    )
    return BuiltSet(
        windows=windows,
        tracks=kept,
        starts_s=np.concatenate(parts["starts_s"]),
        failures=failures,
    )
