"""Window sets: parallel extraction gives the serial result; features and embeddings cache apart."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("genrelens.synth.render")

from genrelens.datasets.cache import FeatureCache  # noqa: E402
from genrelens.datasets.sources import LabeledTrack  # noqa: E402
from genrelens.errors import InvalidParameterError  # noqa: E402
from genrelens.train.build import build_window_set  # noqa: E402
from genrelens.train.rendered import RenderExtractor, RenderSpec, rendered_tracks  # noqa: E402
from genrelens.train.windows import cached_windows  # noqa: E402

pytestmark = pytest.mark.slow

SR = 22050


def _tracks() -> list[LabeledTrack]:
    tracks = rendered_tracks(RenderSpec(per_genre=3, seconds=7.0, genres=("dubstep", "ambient")))
    broken = LabeledTrack(path=Path("no-seed.wav"), label="ambient", source_label="ambient", seed=None)
    return [*tracks[:3], broken, *tracks[3:5]]


def test_two_workers_give_the_serial_result_and_the_same_failures() -> None:
    tracks = _tracks()
    labels = ("dubstep", "ambient")
    extract = RenderExtractor(7.0, None)
    serial = build_window_set(tracks, labels=labels, extract=extract, progress=None, workers=1)
    parallel = build_window_set(tracks, labels=labels, extract=extract, progress=None, workers=2)
    assert [t.path for t in parallel.tracks] == [t.path for t in serial.tracks]
    assert len(serial.tracks) == 5
    assert [p for p, _ in parallel.failures] == [Path("no-seed.wav")] == [p for p, _ in serial.failures]
    assert "seed" in parallel.failures[0][1]
    for name in ("logmel", "summary", "labels", "track_ids"):
        np.testing.assert_array_equal(getattr(parallel.windows, name), getattr(serial.windows, name))


def test_workers_must_be_positive() -> None:
    with pytest.raises(InvalidParameterError):
        build_window_set(_tracks(), labels=("dubstep", "ambient"), extract=RenderExtractor(7.0, None),
                         progress=None, workers=0)


def test_embeddings_are_cached_apart_from_features(tmp_path: Path) -> None:
    """The network's features are reused when a head on embeddings is trained later."""
    loads: list[int] = []
    t = np.arange(8 * SR) / SR
    signal = (0.3 * np.sin(2 * np.pi * 110 * t) * (np.mod(t, 0.5) < 0.1)).astype(np.float32)

    def load() -> tuple[np.ndarray, int]:
        loads.append(1)
        return signal, SR

    cache = FeatureCache(tmp_path / "cache")
    kwargs = {"digest": "test-signal", "params": {}, "cache": cache}
    features = cached_windows(load, **kwargs)
    assert len(loads) == 1 and "embedding" not in features
    both = cached_windows(load, with_embedding=True, **kwargs)
    assert len(loads) == 2, "the embedding miss loads the audio once more; the features hit"
    assert (cache.hits, cache.misses) == (1, 2)
    np.testing.assert_array_equal(both["logmel"], features["logmel"])
    assert both["embedding"].shape == (features["logmel"].shape[0], 200)
    again = cached_windows(load, with_embedding=True, **kwargs)
    assert len(loads) == 2, "everything cached: the audio is not loaded at all"
    np.testing.assert_array_equal(again["embedding"], both["embedding"])
