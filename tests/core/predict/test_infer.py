"""Inference: batch consistency, determinism, probabilities, input checks, ONNX/torch parity.

Every behaviour is checked on the ONNX graph inference runs and on the eager network; the
graph must match the eager network within :data:`PARITY_TOLERANCE` on logits and fused
embeddings (it is checked at export too, and a foreign graph is refused when saved).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import torch

from genrelens.errors import InvalidParameterError, ModelMismatchError
from genrelens.model.artifact import NetworkOutputs, read_artifact
from genrelens.model.checkpoint import Checkpoint, load_checkpoint, save_checkpoint
from genrelens.model.config import ModelConfig
from genrelens.model.export import PARITY_TOLERANCE, export_onnx
from genrelens.model.fast import OnnxRunner
from genrelens.model.network import EagerRunner, GenreNet
from genrelens.predict.infer import GenreModel, softmax
from genrelens.train.data import WindowSet

MakeWindows = Callable[..., WindowSet]

BACKENDS = ["torch", "onnx"]


def _model(path: Path, config: ModelConfig, backend: str) -> GenreModel:
    if backend == "onnx":
        return GenreModel.load(path, expected_features=config.features)
    ckpt = load_checkpoint(path, expected_features=config.features)
    return GenreModel(ckpt.artifact, EagerRunner(ckpt.net))


def _saved(tmp_path: Path, config: ModelConfig, make_windows: MakeWindows, **kw: bool) -> Path:
    torch.manual_seed(0)
    net = GenreNet(config)
    w = make_windows(6, 2, seed=2)
    net.norm.fit(w.logmel, w.summary)
    path = tmp_path / "m.pt"
    save_checkpoint(Checkpoint(config=config, net=net, temperature=1.3), path, **kw)
    return path


@pytest.fixture(params=BACKENDS)
def model(
    request: pytest.FixtureRequest, tmp_path: Path, config: ModelConfig, make_windows: MakeWindows
) -> GenreModel:
    path = _saved(tmp_path, config, make_windows)
    m = _model(path, config, request.param)
    assert isinstance(m.runner, OnnxRunner) == (request.param == "onnx")
    return m


def test_batch_equals_items(model: GenreModel, make_windows: MakeWindows) -> None:
    w = make_windows(50, 2, seed=3)  # 100 windows: crosses the inference chunk size
    batch = model.predict_windows(w.logmel, w.summary)
    items = np.concatenate(
        [model.predict_windows(w.logmel[i : i + 1], w.summary[i : i + 1]) for i in range(len(w))]
    )
    np.testing.assert_allclose(batch, items, atol=1e-5)


def test_deterministic_and_normalised(model: GenreModel, make_windows: MakeWindows) -> None:
    w = make_windows(4, 3, seed=4)
    a = model.predict_windows(w.logmel, w.summary)
    b = model.predict_windows(w.logmel, w.summary)
    np.testing.assert_array_equal(a, b)
    assert a.shape == (12, len(model.labels))
    np.testing.assert_allclose(a.sum(axis=1), 1.0, atol=1e-6)


def test_temperature_is_applied(model: GenreModel, make_windows: MakeWindows) -> None:
    w = make_windows(2, 1, seed=4)
    logits = model.outputs(w.logmel, w.summary).logits.astype(np.float64)
    expected = np.exp(logits / 1.3) / np.exp(logits / 1.3).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(model.predict_windows(w.logmel, w.summary), expected, atol=1e-6)


def test_bad_inputs_are_rejected(model: GenreModel, make_windows: MakeWindows) -> None:
    w = make_windows(2, 1, seed=4)
    mel = w.logmel.astype(np.float32)
    mel[0, 0, 0] = np.nan
    with pytest.raises(InvalidParameterError, match="NaN"):
        model.predict_windows(mel, w.summary)
    with pytest.raises(InvalidParameterError, match="summary"):
        model.predict_windows(w.logmel, w.summary[:1])
    with pytest.raises(InvalidParameterError, match="logmel"):
        model.predict_windows(w.logmel[:, :5], w.summary)


def test_missing_weights_raise_model_mismatch(tmp_path: Path) -> None:
    with pytest.raises(ModelMismatchError, match="no genre model"):
        GenreModel.load(tmp_path / "none.pt")


def test_onnx_and_torch_backends_agree(
    tmp_path: Path, config: ModelConfig, make_windows: MakeWindows
) -> None:
    path = _saved(tmp_path, config, make_windows)
    w = make_windows(10, 3, seed=9)
    fast = _model(path, config, "onnx").outputs(w.logmel, w.summary)
    eager = _model(path, config, "torch").outputs(w.logmel, w.summary)
    np.testing.assert_allclose(fast.logits, eager.logits, atol=PARITY_TOLERANCE)
    np.testing.assert_allclose(fast.fused, eager.fused, atol=PARITY_TOLERANCE)


def test_torch_free_reading_equals_torch_loading(
    tmp_path: Path, config: ModelConfig, make_windows: MakeWindows
) -> None:
    path = _saved(tmp_path, config, make_windows)
    assert read_artifact(path) == load_checkpoint(path).artifact


def test_checkpoint_without_graph_is_refused_for_inference(
    tmp_path: Path, config: ModelConfig, make_windows: MakeWindows
) -> None:
    path = _saved(tmp_path, config, make_windows, export=False)
    assert load_checkpoint(path).onnx_graph is None  # training can still read it
    with pytest.raises(ModelMismatchError, match="ONNX"):
        GenreModel.load(path)


def test_foreign_onnx_graph_is_refused(
    tmp_path: Path, config: ModelConfig, make_windows: MakeWindows
) -> None:
    path = _saved(tmp_path, config, make_windows)
    ckpt = load_checkpoint(path)
    torch.manual_seed(99)
    other = GenreNet(config).eval()
    with pytest.raises(ModelMismatchError, match="ONNX graph differs"):
        save_checkpoint(dataclasses.replace(ckpt, onnx_graph=export_onnx(other)), path)


def test_chunked_outputs_give_the_same_track_answer(model: GenreModel, make_windows: MakeWindows) -> None:
    w = make_windows(10, 3, seed=5)
    starts = np.arange(len(w)) * 3.0
    whole = model.predict_track(w.logmel, w.summary, starts, family_of={})
    parts = [model.outputs(w.logmel[i : i + 7], w.summary[i : i + 7]) for i in range(0, len(w), 7)]
    joined = NetworkOutputs(
        logits=np.concatenate([p.logits for p in parts]),
        fused=np.concatenate([p.fused for p in parts]),
    )
    chunked = model.predict_from_outputs(joined, w.summary, starts, family_of={})
    np.testing.assert_allclose(chunked.breakdown.probs, whole.breakdown.probs, atol=1e-6)
    assert chunked.decision.reasons == whole.decision.reasons
    assert chunked.decision.top_probability == pytest.approx(whole.decision.top_probability)


def test_silent_windows_do_not_vote_and_all_silent_is_low_signal(
    tmp_path: Path, config: ModelConfig, make_windows: MakeWindows
) -> None:
    names = ("rms_db", "bass_weight", "spectral_centroid_hz", "onset_rate_hz")
    cfg = dataclasses.replace(config, features=dataclasses.replace(config.features, summary_names=names))
    path = _saved(tmp_path, cfg, make_windows)
    model = GenreModel.load(path)
    w = make_windows(4, 2, seed=6)
    summary = w.summary.copy()
    summary[:, 0] = -20.0
    summary[:4, 0] = -90.0  # the first two tracks' windows are silent
    pred = model.predict_track(w.logmel, summary, np.arange(8) * 3.0, family_of={})
    assert pred.silent_windows.tolist() == [True] * 4 + [False] * 4
    audible_only = model.predict_track(w.logmel[4:], summary[4:], np.arange(4) * 3.0, family_of={})
    np.testing.assert_allclose(pred.breakdown.probs, audible_only.breakdown.probs, atol=1e-9)
    assert "low_signal" not in pred.decision.reasons
    summary[:, 0] = -90.0
    silent = model.predict_track(w.logmel, summary, np.arange(8) * 3.0, family_of={})
    assert silent.decision.unsure and "low_signal" in silent.decision.reasons


def test_the_electronic_limit_is_the_gates_not_the_checkpoints() -> None:
    from genrelens.backbone.gate import ELECTRONIC_THRESHOLD

    model = GenreModel.load()
    stored = model.checkpoint.unsure_thresholds or {}
    assert model.thresholds.min_electronic_probability == ELECTRONIC_THRESHOLD
    assert model.thresholds.min_top_probability == stored.get("min_top_probability", 0.25)


def test_softmax_rows_sum_to_one_for_extreme_logits() -> None:
    p = softmax(np.array([[1000.0, -1000.0, 0.0], [0.0, 0.0, 0.0]]))
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-12)
    assert np.isfinite(p).all()
