"""The rendered data set: seed-based splits, job planning, manifest, and a parallel,
resumable build with a progress bar.

Layout under the output folder: ``<genre>/<genre>-<seed>.flac`` for the training variant,
``ood/<genre>/<genre>-<seed>.flac`` for the held-out variant, and ``manifest.csv`` with the
columns of :data:`MANIFEST_COLUMNS`. A clip counts as done when its file exists and the
manifest has its row; an interrupted build is resumed by running it again.
"""

from __future__ import annotations

import csv
import hashlib
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO

import soundfile as sf

from genrelens.audio.constants import SAMPLE_RATE
from genrelens.errors import DatasetError, InvalidParameterError
from genrelens.synth import samples
from genrelens.synth.grammars import GENRES, GRAMMARS
from genrelens.synth.render import render_clip
from genrelens.synth.variation import Variant

__all__ = [
    "Split",
    "DEFAULT_OUT",
    "DEFAULT_SECONDS",
    "DEFAULT_PER_GENRE",
    "DEFAULT_OOD_PER_GENRE",
    "DEFAULT_WORKERS",
    "OOD_SEED_BASE",
    "MANIFEST_NAME",
    "MANIFEST_COLUMNS",
    "Job",
    "BuildReport",
    "split_of",
    "split_counts",
    "seeds_for_split",
    "resolve_genres",
    "plan_default_jobs",
    "plan_render_jobs",
    "read_manifest",
    "build",
]

Split = Literal["train", "val", "test"]

DEFAULT_OUT = Path("datasets/rendered")
#: Clip length [seconds]: 4 to 8 bars at 80-175 BPM (enough for the groove, a chord change
#: and a section change), at least three 3-second analysis windows, and short enough that
#: 13,728 clips build in well under an hour on two cores.
DEFAULT_SECONDS = 10.0
#: Training-variant clips per genre (52 x 224 = 11,648), split 80/10/10 by seed.
DEFAULT_PER_GENRE = 224
#: Held-out-sound clips per genre (all in the test split).
DEFAULT_OOD_PER_GENRE = 40
DEFAULT_WORKERS = 2
#: OOD clips use seeds from here on, so they never share a seed with training-variant clips.
OOD_SEED_BASE = 1_000_000
MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = ("path", "genre", "seed", "split", "tempo_bpm", "key", "variant")
#: Split shares of the seed space (train, val; test takes the rest), in percent.
SPLIT_PERCENT = (80, 10)
#: Seconds between progress-bar redraws.
PROGRESS_INTERVAL_S = 0.5


def split_of(seed: int) -> Split:
    """Split of a seed: a pure function (a hash of the seed), so a seed's split never changes
    and train, val and test never share a seed.

    Examples
    --------
    >>> split_of(0) == split_of(0)
    True
    """
    digest = hashlib.blake2b(int(seed).to_bytes(8, "little", signed=False), digest_size=8)
    bucket = int.from_bytes(digest.digest(), "little") % 100
    if bucket < SPLIT_PERCENT[0]:
        return "train"
    if bucket < SPLIT_PERCENT[0] + SPLIT_PERCENT[1]:
        return "val"
    return "test"


def split_counts(per_genre: int) -> dict[Split, int]:
    """Clips of each split for ``per_genre`` clips: 80/10/10, test takes the rounding."""
    train = round(per_genre * SPLIT_PERCENT[0] / 100)
    val = round(per_genre * SPLIT_PERCENT[1] / 100)
    return {"train": train, "val": val, "test": per_genre - train - val}


def seeds_for_split(split: Split, count: int, *, start: int = 0) -> list[int]:
    """The first ``count`` seeds from ``start`` upward whose split is ``split``."""
    seeds: list[int] = []
    seed = start
    while len(seeds) < count:
        if split_of(seed) == split:
            seeds.append(seed)
        seed += 1
    return seeds


def resolve_genres(names: Iterable[str]) -> tuple[str, ...]:
    """Modelled genre slugs from genre or family slugs (a family gives all its genres).

    Raises
    ------
    InvalidParameterError
        A name is neither a modelled genre nor a family.
    """
    out: list[str] = []
    for name in names:
        if name in GRAMMARS:
            out.append(name)
            continue
        family = [g for g in GENRES if GRAMMARS[g].family == name]
        if not family:
            raise InvalidParameterError(
                f"unknown genre or family {name!r}", extra={"genre": name})
        out += family
    return tuple(dict.fromkeys(out))


@dataclass(frozen=True)
class Job:
    """One clip to render and where it goes (``path`` relative to the output folder)."""

    genre: str
    seed: int
    split: Split
    variant: Variant
    seconds: float
    path: str


def _job(genre: str, seed: int, variant: Variant, seconds: float) -> Job:
    folder = f"ood/{genre}" if variant == "ood" else genre
    return Job(genre, seed, split_of(seed), variant, seconds, f"{folder}/{genre}-{seed}.flac")


def plan_default_jobs(*, genres: Sequence[str] = GENRES, per_genre: int = DEFAULT_PER_GENRE,
                      ood_per_genre: int = DEFAULT_OOD_PER_GENRE,
                      seconds: float = DEFAULT_SECONDS) -> list[Job]:
    """Jobs of the default set: per genre, ``per_genre`` training-variant clips split 80/10/10
    by seed, plus ``ood_per_genre`` held-out-sound clips whose seeds are all test seeds."""
    if per_genre < 0 or ood_per_genre < 0:
        raise InvalidParameterError("clip counts must be non-negative",
                                    extra={"per_genre": per_genre, "ood": ood_per_genre})
    counts = split_counts(per_genre)
    split_seeds = {s: seeds_for_split(s, c) for s, c in counts.items()}
    ood_seeds = seeds_for_split("test", ood_per_genre, start=OOD_SEED_BASE)
    jobs: list[Job] = []
    for genre in resolve_genres(genres):
        for split in ("train", "val", "test"):
            jobs += [_job(genre, s, "train", seconds) for s in split_seeds[split]]
        jobs += [_job(genre, s, "ood", seconds) for s in ood_seeds]
    return jobs


def plan_render_jobs(genres: Sequence[str], *, count: int, seconds: float, seed_start: int = 0,
                     variant: Variant = "train") -> list[Job]:
    """Jobs of ``genrelens render``: ``count`` clips with consecutive seeds, cycling through
    ``genres`` (a family slug stands for its genres)."""
    names = resolve_genres(genres)
    if count < 1 or seed_start < 0:
        raise InvalidParameterError("count must be >= 1 and seed_start >= 0",
                                    extra={"count": count, "seed_start": seed_start})
    return [_job(names[i % len(names)], seed_start + i, variant, seconds) for i in range(count)]


def read_manifest(path: Path) -> dict[str, dict[str, str]]:
    """Manifest rows by relative path; a row cut short by an interruption is ignored.

    Raises
    ------
    DatasetError
        The file exists but its header is not the manifest header.
    """
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != MANIFEST_COLUMNS:
            raise DatasetError(f"{path}: not a GenreLens manifest (header {reader.fieldnames})",
                               extra={"path": str(path)})
        rows = {}
        for row in reader:
            if all(row.get(c) not in (None, "") for c in MANIFEST_COLUMNS):
                rows[row["path"]] = row
    return rows


def _render_job(job_out: tuple[Job, str]) -> dict[str, str]:
    """Render one job to its file (written to a temporary name, then renamed) -> its row."""
    job, out = job_out
    clip = render_clip(job.genre, seed=job.seed, seconds=job.seconds, sr=SAMPLE_RATE,
                       variant=job.variant)
    target = Path(out) / job.path
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    sf.write(str(part), clip.audio, clip.sr, format="FLAC", subtype="PCM_16")
    os.replace(part, target)
    return {"path": job.path, "genre": job.genre, "seed": str(job.seed), "split": job.split,
            "tempo_bpm": f"{clip.tempo_bpm:g}", "key": clip.key, "variant": job.variant}


@dataclass(frozen=True)
class BuildReport:
    """What a build did: clips planned, already present, rendered now, and wall time."""

    planned: int
    skipped: int
    rendered: int
    seconds: float
    manifest: Path


class _Progress:
    """A one-line progress bar on a text stream (redrawn at most twice a second)."""

    def __init__(self, total: int, stream: TextIO | None) -> None:
        self.total, self.done, self.stream = total, 0, stream
        self.t0 = self.last = time.monotonic()

    def step(self, k: int = 1) -> None:
        self.done += k
        now = time.monotonic()
        due = now - self.last >= PROGRESS_INTERVAL_S or self.done >= self.total
        if self.stream is None or not due:
            return
        self.last = now
        rate = self.done / max(now - self.t0, 1e-9)
        eta = (self.total - self.done) / rate if rate > 0 else 0.0
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} "
                          f"{rate:.1f} clips/s ETA {int(eta // 60)}m{int(eta % 60):02d}s")
        if self.done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


def _results(todo: list[Job], out: Path, workers: int) -> Iterator[dict[str, str]]:
    items = [(job, str(out)) for job in todo]
    if workers <= 1:
        yield from map(_render_job, items)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap_unordered(_render_job, items, chunksize=4)


def build(jobs: Sequence[Job], out: Path, *, workers: int = DEFAULT_WORKERS,
          progress: TextIO | None = sys.stderr,
          on_row: Callable[[dict[str, str]], None] | None = None) -> BuildReport:
    """Render every job not yet done into ``out`` and write ``out/manifest.csv``.

    Rows are appended as clips finish (so an interrupted build keeps its work); at the end the
    manifest is rewritten in job order with only rows whose file exists.

    Parameters
    ----------
    jobs : the clips to have (from :func:`plan_default_jobs` or :func:`plan_render_jobs`).
    out : output folder (created).
    workers : processes rendering in parallel (1 renders in this process).
    progress : stream for the progress bar, or None for silence.
    on_row : called with each new manifest row (tests use it to interrupt a build).
    """
    if workers < 1:
        raise InvalidParameterError(f"workers must be >= 1, got {workers}",
                                    extra={"workers": workers})
    out.mkdir(parents=True, exist_ok=True)
    manifest = out / MANIFEST_NAME
    rows = {p: r for p, r in read_manifest(manifest).items() if (out / p).is_file()}
    todo = [j for j in jobs if j.path not in rows]
    t0 = time.monotonic()
    if todo:
        samples.prepare(SAMPLE_RATE)
    bar = _Progress(len(todo), progress)
    fresh = not manifest.is_file()
    try:
        with manifest.open("a", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=MANIFEST_COLUMNS)
            if fresh:
                writer.writeheader()
            for row in _results(todo, out, workers):
                writer.writerow(row)
                f.flush()
                rows[row["path"]] = row
                bar.step()
                if on_row is not None:
                    on_row(row)
    finally:
        _rewrite_manifest(manifest, jobs, rows, out)
    return BuildReport(len(jobs), len(jobs) - len(todo), len(todo), time.monotonic() - t0,
                       manifest)


def _rewrite_manifest(manifest: Path, jobs: Sequence[Job], rows: dict[str, dict[str, str]],
                      out: Path) -> None:
    """Atomically rewrite the manifest: planned jobs first in plan order, then other rows."""
    order = {j.path: i for i, j in enumerate(jobs)}
    kept = [r for r in rows.values() if (out / r["path"]).is_file()]
    kept.sort(key=lambda r: (order.get(r["path"], len(order)), r["path"]))
    tmp = manifest.with_name(manifest.name + ".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=MANIFEST_COLUMNS)
        writer.writeheader()
        writer.writerows(kept)
    os.replace(tmp, manifest)

