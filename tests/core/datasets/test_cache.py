"""The feature cache: hits, misses and invalidation by content, schema and parameters."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from genrelens.datasets.cache import FeatureCache, file_digest
from genrelens.errors import InvalidParameterError

WriteWav = Callable[[Path, float], Path]


def _counting_compute(calls: list[Path], path: Path) -> Callable[[], dict[str, np.ndarray]]:
    def compute() -> dict[str, np.ndarray]:
        calls.append(path)
        return {"x": np.arange(6, dtype=np.float32).reshape(2, 3) + len(calls)}

    return compute


def test_second_call_is_a_hit_with_equal_arrays(tmp_path: Path, write_wav: WriteWav) -> None:
    audio = write_wav(tmp_path / "a.wav", 100.0)
    cache = FeatureCache(tmp_path / "cache")
    calls: list[Path] = []
    first = cache.get_or_compute(
        file_digest(audio), _counting_compute(calls, audio), schema_version="1", params={"n": 1}
    )
    second = cache.get_or_compute(
        file_digest(audio), _counting_compute(calls, audio), schema_version="1", params={"n": 1}
    )
    assert len(calls) == 1
    assert (cache.hits, cache.misses) == (1, 1)
    np.testing.assert_array_equal(first["x"], second["x"])
    assert list((tmp_path / "cache").rglob("*.npz"))


def test_renamed_file_with_same_content_hits(tmp_path: Path, write_wav: WriteWav) -> None:
    audio = write_wav(tmp_path / "a.wav", 100.0)
    cache = FeatureCache(tmp_path / "cache")
    calls: list[Path] = []
    cache.get_or_compute(file_digest(audio), _counting_compute(calls, audio), schema_version="1", params={})
    moved = audio.rename(tmp_path / "b.wav")
    cache.get_or_compute(file_digest(moved), _counting_compute(calls, moved), schema_version="1", params={})
    assert len(calls) == 1


@pytest.mark.parametrize("change", ["content", "schema", "params"])
def test_key_changes_invalidate(tmp_path: Path, write_wav: WriteWav, change: str) -> None:
    audio = write_wav(tmp_path / "a.wav", 100.0)
    cache = FeatureCache(tmp_path / "cache")
    calls: list[Path] = []
    cache.get_or_compute(
        file_digest(audio), _counting_compute(calls, audio), schema_version="1", params={"n_mels": 96}
    )
    schema, params = "1", {"n_mels": 96}
    if change == "content":
        write_wav(audio, 200.0)
    elif change == "schema":
        schema = "2"
    else:
        params = {"n_mels": 64}
    cache.get_or_compute(
        file_digest(audio), _counting_compute(calls, audio), schema_version=schema, params=params
    )
    assert len(calls) == 2


def test_corrupt_entry_is_recomputed(tmp_path: Path, write_wav: WriteWav) -> None:
    audio = write_wav(tmp_path / "a.wav", 100.0)
    cache = FeatureCache(tmp_path / "cache")
    calls: list[Path] = []
    cache.get_or_compute(file_digest(audio), _counting_compute(calls, audio), schema_version="1", params={})
    entry = next((tmp_path / "cache").rglob("*.npz"))
    entry.write_bytes(b"garbage")
    out = cache.get_or_compute(
        file_digest(audio), _counting_compute(calls, audio), schema_version="1", params={}
    )
    assert len(calls) == 2 and out["x"].shape == (2, 3)


def test_params_must_be_json(tmp_path: Path) -> None:
    with pytest.raises(InvalidParameterError):
        FeatureCache.key("d", schema_version="1", params={"x": object()})
