"""Tests of the musicnn backbone API: shapes, batching, streaming, limits and bad input."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from genrelens.backbone.embed import (
    GRAPH_META_KEY,
    MIN_SAMPLES,
    PATCH_SECONDS,
    MusicnnBackbone,
    graph_path,
    load_backbone,
    weights_path,
)
from genrelens.backbone.frontend import PATCH_FRAMES, SAMPLE_RATE
from genrelens.errors import (
    AudioTooShortError,
    InvalidAudioError,
    InvalidParameterError,
    ModelMismatchError,
)


def test_shapes_times_and_summary(msd: MusicnnBackbone, signals: dict[str, np.ndarray]) -> None:
    out = msd.analyze(signals["club_loop"], sr=SAMPLE_RATE)
    assert out.n_patches == 3
    assert out.probabilities.shape == (3, 50)
    assert out.penultimate.shape == (3, 200)
    assert out.mean_pool.shape == out.max_pool.shape == (3, 753)
    np.testing.assert_allclose(out.starts_s, [0.0, PATCH_SECONDS, 2 * PATCH_SECONDS])
    assert np.all((out.probabilities >= 0) & (out.probabilities <= 1))
    summary = out.summary()
    np.testing.assert_allclose(summary.probabilities, out.probabilities.mean(axis=0))
    np.testing.assert_array_equal(summary.max_pool, out.max_pool.max(axis=0))
    assert summary.penultimate.shape == (200,)
    top = out.top_tags(3)
    assert [p for _, p in top] == sorted((p for _, p in top), reverse=True)
    assert top[0][1] == pytest.approx(float(summary.probabilities.max()))


def test_convenience_functions_agree_with_analyze(
    mtt: MusicnnBackbone, signals: dict[str, np.ndarray]
) -> None:
    y = signals["piano_like"][: SAMPLE_RATE * 4]
    out = mtt.analyze(y, sr=SAMPLE_RATE)
    per_patch, pooled = mtt.tag_probabilities(y, sr=SAMPLE_RATE)
    np.testing.assert_array_equal(per_patch, out.probabilities)
    np.testing.assert_array_equal(pooled, out.summary().probabilities)
    for layer in ("penultimate", "mean_pool", "max_pool"):
        emb, emb_pooled = mtt.embeddings(y, sr=SAMPLE_RATE, layer=layer)
        np.testing.assert_array_equal(emb, getattr(out, layer))
        np.testing.assert_array_equal(emb_pooled, getattr(out.summary(), layer))
    with pytest.raises(InvalidParameterError):
        mtt.embeddings(y, sr=SAMPLE_RATE, layer="logits")  # type: ignore[arg-type]


def test_batch_equals_items(msd: MusicnnBackbone, signals: dict[str, np.ndarray]) -> None:
    y = signals["club_loop"][: SAMPLE_RATE * 6]
    together = msd.analyze(y, sr=SAMPLE_RATE, hop_frames=60, batch_size=16)
    alone = msd.analyze(y, sr=SAMPLE_RATE, hop_frames=60, batch_size=1)
    assert together.n_patches == alone.n_patches == 4
    np.testing.assert_allclose(together.probabilities, alone.probabilities, atol=1e-5)
    np.testing.assert_allclose(together.penultimate, alone.penultimate, atol=1e-5)


def test_deterministic(msd: MusicnnBackbone, signals: dict[str, np.ndarray]) -> None:
    a = msd.analyze(signals["noise"], sr=SAMPLE_RATE)
    b = msd.analyze(signals["noise"], sr=SAMPLE_RATE)
    np.testing.assert_array_equal(a.probabilities, b.probabilities)
    np.testing.assert_array_equal(a.penultimate, b.penultimate)


def test_stream_in_odd_blocks_equals_whole(
    msd: MusicnnBackbone, signals: dict[str, np.ndarray]
) -> None:
    y = signals["club_loop"]
    rng = np.random.default_rng(440)
    cuts = np.sort(rng.integers(0, len(y), size=12))
    blocks = [y[a:b] for a, b in zip(np.r_[0, cuts], np.r_[cuts, len(y)], strict=True)]
    blocks.insert(3, y[:0])  # an empty block is allowed
    parts = list(msd.stream(iter(blocks), sr=SAMPLE_RATE, hop_frames=93, batch_size=2))
    assert [p.n_patches for p in parts] == [2, 2, 1]
    streamed = parts[0].concatenate(parts)
    whole = msd.analyze(y, sr=SAMPLE_RATE, hop_frames=93)
    np.testing.assert_array_equal(streamed.starts_s, whole.starts_s)
    np.testing.assert_allclose(streamed.probabilities, whole.probabilities, atol=1e-6)


def test_resampled_input(msd: MusicnnBackbone, signals: dict[str, np.ndarray]) -> None:
    # The same signal at 8 kHz and at 16 kHz upsampled from it see the same band-limited audio.
    import soxr

    low = soxr.resample(signals["club_loop"], SAMPLE_RATE, 8000)
    direct = msd.analyze(soxr.resample(low, 8000, SAMPLE_RATE), sr=SAMPLE_RATE)
    streamed = msd.analyze(low, sr=8000)
    assert streamed.n_patches == direct.n_patches
    np.testing.assert_allclose(streamed.probabilities, direct.probabilities, atol=0.02)


def test_length_limit_at_one_patch(msd: MusicnnBackbone) -> None:
    y = 0.1 * np.random.default_rng(440).standard_normal(MIN_SAMPLES).astype(np.float32)
    assert msd.analyze(y, sr=SAMPLE_RATE).n_patches == 1
    with pytest.raises(AudioTooShortError):
        msd.analyze(y[:-1], sr=SAMPLE_RATE)
    with pytest.raises(AudioTooShortError):
        msd.analyze(np.zeros(0, np.float32), sr=SAMPLE_RATE)


def test_patch_count_follows_librosa_frames(msd: MusicnnBackbone) -> None:
    # 1 + n // 256 frames; patches of 187 frames every 187 frames (musicnn's extractor).
    for n_frames in (PATCH_FRAMES * 2 - 1, PATCH_FRAMES * 2):
        n = (n_frames - 1) * 256
        out = msd.analyze(np.zeros(n, np.float32), sr=SAMPLE_RATE)
        assert out.n_patches == (n_frames - PATCH_FRAMES) // PATCH_FRAMES + 1


@pytest.mark.parametrize(
    "bad",
    [
        np.full(SAMPLE_RATE * 4, np.nan, np.float32),
        np.r_[np.zeros(SAMPLE_RATE * 4, np.float32), np.inf],
        np.zeros((2, SAMPLE_RATE * 4), np.float32),
        np.zeros(SAMPLE_RATE * 4, np.int16),
    ],
    ids=["nan", "inf", "stereo", "int16"],
)
def test_invalid_audio(msd: MusicnnBackbone, bad: np.ndarray) -> None:
    with pytest.raises(InvalidAudioError):
        msd.analyze(bad, sr=SAMPLE_RATE)


@pytest.mark.parametrize(
    "kwargs",
    [{"sr": 0}, {"sr": True}, {"sr": 16000.0}, {"hop_frames": 0}, {"batch_size": 0}],
    ids=["sr0", "sr_bool", "sr_float", "hop0", "batch0"],
)
def test_invalid_parameters(msd: MusicnnBackbone, kwargs: dict[str, object]) -> None:
    args: dict[str, object] = {"sr": SAMPLE_RATE} | kwargs
    with pytest.raises(InvalidParameterError):
        msd.analyze(np.zeros(SAMPLE_RATE * 4, np.float32), **args)  # type: ignore[arg-type]


def test_unknown_model() -> None:
    with pytest.raises(InvalidParameterError):
        MusicnnBackbone.load("gtzan")  # type: ignore[arg-type]


def _with_meta(tmp_path: Path, name: str, meta: dict[str, object] | None) -> Path:
    """The shipped graph of ``name`` with its metadata replaced (None: removed)."""
    onnx = pytest.importorskip("onnx")
    graph = onnx.load(graph_path(name))
    del graph.metadata_props[:]
    if meta is not None:
        entry = graph.metadata_props.add()
        entry.key, entry.value = GRAPH_META_KEY, json.dumps(meta)
    path = tmp_path / "graph.onnx"
    onnx.save(graph, path)
    return path


def _shipped_meta(name: str) -> dict[str, object]:
    with np.load(weights_path(name), allow_pickle=False) as data:
        meta: dict[str, object] = json.loads(str(data["__meta__"]))
    return meta


def test_graphs_with_wrong_labels_are_refused(tmp_path: Path) -> None:
    meta = _shipped_meta("msd")
    path = _with_meta(tmp_path, "msd", meta)
    assert MusicnnBackbone.load("msd", path=path).labels[0] == "rock"
    # The MSD graph declares MSD tags: loading it as MTT must fail, not mislabel every tag.
    with pytest.raises(ModelMismatchError):
        MusicnnBackbone.load("mtt", path=path)
    features = meta["features"]
    assert isinstance(features, dict)
    meta["features"] = {**features, "hop_length": 512}
    with pytest.raises(ModelMismatchError):
        MusicnnBackbone.load("msd", path=_with_meta(tmp_path, "msd", meta))


def test_graphs_without_metadata_or_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelMismatchError):
        MusicnnBackbone.load("msd", path=_with_meta(tmp_path, "msd", None))
    with pytest.raises(ModelMismatchError):
        MusicnnBackbone.load("msd", path=tmp_path / "absent.onnx")
    (tmp_path / "junk.onnx").write_bytes(b"not a graph")
    with pytest.raises(ModelMismatchError):
        MusicnnBackbone.load("msd", path=tmp_path / "junk.onnx")


def test_weights_missing_a_tensor_are_refused(tmp_path: Path) -> None:
    pytest.importorskip("torch")  # the training extra
    from genrelens.backbone.export import load_network

    with np.load(weights_path("msd"), allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files if k != "dense.weight"}
    np.savez(tmp_path / "weights.npz", **arrays)
    with pytest.raises(ModelMismatchError):
        load_network("msd", path=tmp_path / "weights.npz")
    with pytest.raises(ModelMismatchError):
        load_network("mtt", path=weights_path("msd"))
    with pytest.raises(ModelMismatchError):
        load_network("msd", path=tmp_path / "absent.npz")


def test_weights_ship_in_the_package_with_their_licence() -> None:
    for name in ("msd", "mtt"):
        for path in (weights_path(name), graph_path(name)):
            assert path.is_file()
            assert path.stat().st_size < 4_000_000
    # ISC: the notice must travel with every copy, so the wheel carries it beside the weights.
    shipped = weights_path("msd").parent / "LICENSE-musicnn-ISC.txt"
    repo_copy = Path(__file__).parents[3] / "LICENSES" / "musicnn-ISC.txt"
    assert "Universitat Pompeu Fabra 2019" in shipped.read_text()
    if repo_copy.is_file():  # absent when the tests run against an installed wheel
        assert shipped.read_text() == repo_copy.read_text()


def test_load_backbone_is_cached() -> None:
    assert load_backbone("msd") is load_backbone("msd")


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    extra=st.integers(min_value=0, max_value=3 * SAMPLE_RATE),
    level=st.sampled_from([0.0, 1e-6, 0.3, 1.0]),
    seed=st.integers(min_value=0, max_value=2**16),
)
def test_finite_documented_shape_for_any_valid_signal(
    mtt: MusicnnBackbone, extra: int, level: float, seed: int
) -> None:
    n = MIN_SAMPLES + extra
    y = np.clip(level * np.random.default_rng(seed).standard_normal(n), -1, 1).astype(np.float32)
    out = mtt.analyze(y, sr=SAMPLE_RATE)
    expected = (1 + n // 256 - PATCH_FRAMES) // PATCH_FRAMES + 1
    assert out.probabilities.shape == (expected, 50)
    for arr in (out.probabilities, out.penultimate, out.mean_pool, out.max_pool):
        assert np.all(np.isfinite(arr))


def test_stream_yields_before_reading_the_whole_input(msd: MusicnnBackbone) -> None:
    # A long track must not be read whole before the first patches come out.
    consumed = 0

    def blocks() -> Iterator[np.ndarray]:
        nonlocal consumed
        for _ in range(600):  # 10 minutes in 1-second blocks
            consumed += 1
            yield np.zeros(SAMPLE_RATE, np.float32)

    first = next(msd.stream(blocks(), sr=SAMPLE_RATE, batch_size=1))
    assert first.n_patches == 1
    assert consumed <= 4
