"""GenreNet: shapes, input checks, config validation."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from genrelens.errors import InvalidParameterError
from genrelens.model.config import FeatureParams, ModelConfig
from genrelens.model.network import GenreNet

N_MELS, FRAMES = 24, 32  # as in conftest.feature_params


def test_forward_returns_logits_of_label_count(config: ModelConfig) -> None:
    net = GenreNet(config).eval()
    logits = net(torch.zeros(5, N_MELS, FRAMES), torch.zeros(5, 4))
    assert logits.shape == (5, 3)
    assert torch.isfinite(logits).all()
    # logits, not probabilities: rows do not sum to 1 in general
    assert not torch.allclose(logits.sum(dim=1), torch.ones(5))


def test_variable_patch_length_is_accepted(config: ModelConfig) -> None:
    net = GenreNet(config).eval()
    assert net(torch.zeros(2, N_MELS, FRAMES * 2), torch.zeros(2, 4)).shape == (2, 3)


def test_wrong_shapes_are_rejected(config: ModelConfig) -> None:
    net = GenreNet(config).eval()
    with pytest.raises(InvalidParameterError, match="logmel"):
        net(torch.zeros(2, N_MELS + 1, FRAMES), torch.zeros(2, 4))
    with pytest.raises(InvalidParameterError, match="summary"):
        net(torch.zeros(2, N_MELS, FRAMES), torch.zeros(2, 5))


def test_embedding_branch_requires_embedding(config: ModelConfig) -> None:
    net = GenreNet(dataclasses.replace(config, embedding_dim=10)).eval()
    assert net(torch.zeros(2, N_MELS, FRAMES), torch.zeros(2, 4), torch.zeros(2, 10)).shape == (
        2,
        3,
    )
    with pytest.raises(InvalidParameterError, match="embedding"):
        net(torch.zeros(2, N_MELS, FRAMES), torch.zeros(2, 4))


def test_head_only_on_embeddings(config: ModelConfig) -> None:
    cfg = dataclasses.replace(config, use_logmel=False, embedding_dim=10)
    net = GenreNet(cfg).eval()
    assert net.conv is None
    assert net(torch.zeros(2, N_MELS, FRAMES), torch.zeros(2, 4), torch.zeros(2, 10)).shape == (
        2,
        3,
    )


def test_input_norm_fit_standardises(config: ModelConfig) -> None:
    net = GenreNet(config)
    rng = np.random.default_rng(0)
    mel = rng.normal(-30, 5, size=(50, N_MELS, FRAMES))
    summ = rng.normal(120, 10, size=(50, 4))
    net.norm.fit(mel, summ)
    m, s, _ = net.norm(torch.from_numpy(mel).float(), torch.from_numpy(summ).float(), torch.zeros(50, 0))
    assert abs(float(m.mean())) < 1e-3 and abs(float(m.std()) - 1) < 0.05
    assert abs(float(s.mean())) < 1e-3


@pytest.mark.parametrize(
    "kwargs",
    [
        {"labels": ("a",)},
        {"labels": ("a", "a")},
        {"dropout": 1.0},
        {"conv_channels": ()},
        {"embedding_dim": -1},
    ],
)
def test_invalid_model_config(config: ModelConfig, kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidParameterError):
        dataclasses.replace(config, **kwargs)


@pytest.mark.parametrize("field,value", [("n_mels", 0), ("sample_rate", -1), ("window_s", 0.0)])
def test_invalid_feature_params(feature_params: FeatureParams, field: str, value: object) -> None:
    with pytest.raises(InvalidParameterError, match=field):
        dataclasses.replace(feature_params, **{field: value})


def test_config_round_trips_through_dict(config: ModelConfig) -> None:
    assert ModelConfig.from_dict(config.to_dict()) == config
