"""Checkpoints: round trip, and ModelMismatchError for every mismatch."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import torch

from genrelens.errors import ModelMismatchError
from genrelens.model.checkpoint import Checkpoint, load_checkpoint, save_checkpoint
from genrelens.model.config import FeatureParams, ModelConfig
from genrelens.model.network import GenreNet, run_network
from genrelens.train.data import WindowSet


def _saved(tmp_path: Path, config: ModelConfig) -> tuple[Path, GenreNet]:
    torch.manual_seed(3)
    net = GenreNet(config).eval()
    path = tmp_path / "model.pt"
    ckpt = Checkpoint(
        config=config,
        net=net,
        temperature=1.7,
        metrics={"a": 1.0},
        unsure_thresholds={"min_top_probability": 0.4},
    )
    save_checkpoint(ckpt, path)
    return path, net


def test_round_trip_gives_identical_outputs(
    tmp_path: Path, config: ModelConfig, make_windows: Callable[..., WindowSet]
) -> None:
    path, net = _saved(tmp_path, config)
    ckpt = load_checkpoint(path, expected_features=config.features, expected_labels=config.labels)
    assert ckpt.config == config
    assert ckpt.temperature == pytest.approx(1.7)
    assert ckpt.metrics == {"a": 1.0}
    assert ckpt.unsure_thresholds == {"min_top_probability": 0.4}
    assert not ckpt.net.training
    w = make_windows(3, 2, seed=5)
    a = run_network(net, w.logmel, w.summary).logits
    b = run_network(ckpt.net, w.logmel, w.summary).logits
    np.testing.assert_array_equal(a, b)


def test_changed_labels_raise(tmp_path: Path, config: ModelConfig) -> None:
    path, _ = _saved(tmp_path, config)
    with pytest.raises(ModelMismatchError, match="labels"):
        load_checkpoint(path, expected_labels=("deep-house", "ambient", "dubstep"))


@pytest.mark.parametrize(
    "field,value",
    [("n_mels", 32), ("sample_rate", 16000), ("schema_version", "test-2"), ("hop_length", 256)],
)
def test_changed_feature_params_raise(
    tmp_path: Path, config: ModelConfig, feature_params: FeatureParams, field: str, value: object
) -> None:
    path, _ = _saved(tmp_path, config)
    other = dataclasses.replace(feature_params, **{field: value})
    with pytest.raises(ModelMismatchError, match=field) as info:
        load_checkpoint(path, expected_features=other)
    assert info.value.code == "model_mismatch"


def test_changed_code_version_raises(tmp_path: Path, config: ModelConfig) -> None:
    path, _ = _saved(tmp_path, config)
    with pytest.raises(ModelMismatchError, match="code version"):
        load_checkpoint(path, code_version="999")


def test_weights_not_fitting_config_raise(tmp_path: Path, config: ModelConfig) -> None:
    path, _ = _saved(tmp_path, config)
    payload = torch.load(path, weights_only=True)
    payload["config"]["conv_channels"] = [8, 32]
    torch.save(payload, path)
    with pytest.raises(ModelMismatchError, match="weights do not fit"):
        load_checkpoint(path)


def test_garbage_file_raises(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"not a checkpoint")
    with pytest.raises(ModelMismatchError, match="not a readable"):
        load_checkpoint(bad)
    with pytest.raises(ModelMismatchError):
        load_checkpoint(tmp_path / "missing.pt")
