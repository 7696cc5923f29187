"""Inference: batch consistency, determinism, probabilities, input checks, default weights."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import torch

from genrelens.errors import InvalidParameterError, ModelMismatchError
from genrelens.model.checkpoint import Checkpoint, save_checkpoint
from genrelens.model.config import ModelConfig
from genrelens.model.data import WindowSet
from genrelens.model.infer import GenreModel
from genrelens.model.network import GenreNet

MakeWindows = Callable[..., WindowSet]


@pytest.fixture
def model(tmp_path: Path, config: ModelConfig, make_windows: MakeWindows) -> GenreModel:
    torch.manual_seed(0)
    net = GenreNet(config)
    w = make_windows(6, 2, seed=2)
    net.norm.fit(w.logmel, w.summary)
    path = tmp_path / "m.pt"
    save_checkpoint(Checkpoint(config=config, net=net, temperature=1.3), path)
    return GenreModel.load(path, expected_features=config.features)


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
