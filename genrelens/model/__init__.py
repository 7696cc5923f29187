"""Genre model: config, network, training, calibration, evaluation, inference and the 'why'."""

from __future__ import annotations

from genrelens.model.config import MODEL_CODE_VERSION, FeatureParams, ModelConfig, TrainConfig
from genrelens.model.infer import GenreModel, default_weights_path

__all__ = [
    "MODEL_CODE_VERSION",
    "FeatureParams",
    "GenreModel",
    "ModelConfig",
    "TrainConfig",
    "default_weights_path",
]
