"""Train on the renderer directly: clips rendered in memory, never written, features cached.

This is the rendered set of ``genrelens dataset`` (same genres, seeds, splits and variants,
planned by :func:`genrelens.synth.dataset.plan_default_jobs`) without writing audio files or
decoding them again, which on two shared cores costs more than rendering itself.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache as memoize
from importlib import resources
from pathlib import Path

import numpy as np

from genrelens.datasets.cache import FeatureCache
from genrelens.datasets.sources import LabeledTrack
from genrelens.errors import InvalidParameterError
from genrelens.train.windows import cached_windows

__all__ = ["RenderSpec", "rendered_tracks", "RenderExtractor", "renderer_fingerprint"]

Arrays = dict[str, np.ndarray]


@dataclass(frozen=True)
class RenderSpec:
    """Which rendered clips to train on.

    Parameters
    ----------
    per_genre : int
        Training-variant clips per genre, split 80/10/10 by seed (``split_of``).
    ood_per_genre : int
        Held-out-sound clips per genre (kits, presets, tempo and mix settings training never
        saw), evaluated as the ``ood`` split.
    seconds : float [seconds]
    genres : tuple of str or None
        Genre or family slugs; None means all modelled genres.
    """

    per_genre: int
    ood_per_genre: int = 0
    seconds: float = 10.0
    genres: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.per_genre < 3 or self.ood_per_genre < 0 or self.seconds <= 0:
            raise InvalidParameterError(
                f"per_genre must be >= 3 (got {self.per_genre}), ood_per_genre >= 0 "
                f"(got {self.ood_per_genre}) and seconds > 0 (got {self.seconds})"
            )


@memoize
def renderer_fingerprint() -> str:
    """Hash of the renderer's source: cached renders are invalid once any grammar changes."""
    h = hashlib.sha256()
    root = resources.files("genrelens.synth")
    for name in sorted(p.name for p in root.iterdir() if p.name.endswith(".py")):
        h.update(name.encode())
        h.update((root / name).read_bytes())
    return h.hexdigest()[:16]


def rendered_tracks(spec: RenderSpec) -> list[LabeledTrack]:
    """The planned clips as labelled tracks (``path`` is the clip's path in the data set)."""
    from genrelens.synth.dataset import plan_default_jobs
    from genrelens.synth.grammars import GENRES

    jobs = plan_default_jobs(
        genres=spec.genres if spec.genres is not None else GENRES,
        per_genre=spec.per_genre,
        ood_per_genre=spec.ood_per_genre,
        seconds=spec.seconds,
    )
    return [
        LabeledTrack(
            path=Path(job.path),
            label=job.genre,
            source_label=job.genre,
            split=job.split,
            seed=job.seed,
            variant=job.variant,
        )
        for job in jobs
    ]


@dataclass(frozen=True)
class RenderExtractor:
    """``extract(track)`` that renders the track's clip and returns its window arrays.

    Picklable, so worker processes can run it. The cache key names the genre, seed, variant,
    length, feature parameters, the renderer's source fingerprint and the sample sources
    installed (the render is deterministic for them).

    Parameters
    ----------
    seconds : float [seconds]
    cache_dir : Path or None
    with_embedding : bool
    """

    seconds: float
    cache_dir: Path | None
    with_embedding: bool = False

    def __call__(self, track: LabeledTrack) -> Arrays:
        from genrelens.synth.render import render_clip
        from genrelens.synth.samples import sources_in_use

        if track.seed is None:
            raise InvalidParameterError(f"{track.path}: a rendered track needs a seed")
        seed, variant = track.seed, track.variant or "train"

        def load() -> tuple[np.ndarray, int]:
            clip = render_clip(track.label, seed=seed, seconds=self.seconds, variant=variant)
            return clip.audio, clip.sr

        return cached_windows(
            load,
            digest=f"render:{track.label}:{seed}:{variant}:{self.seconds}",
            params={"renderer": renderer_fingerprint(), "samples": list(sources_in_use())},
            cache=FeatureCache(self.cache_dir) if self.cache_dir is not None else None,
            with_embedding=self.with_embedding,
        )
