"""Frozen configuration of the genre model and of the features it was trained on."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from genrelens.errors import InvalidParameterError
from genrelens.features import constants as fc
from genrelens.features.windows import FEATURE_NAMES

__all__ = [
    "MODEL_CODE_VERSION",
    "MODEL_NAME",
    "FeatureParams",
    "ModelConfig",
    "TrainConfig",
    "current_feature_params",
]

#: Version of the network code; bump it whenever a change makes old weights meaningless.
MODEL_CODE_VERSION = "1"
#: Name reported in the analysis result's ``model.name``.
MODEL_NAME = "genrelens-cnn"


@dataclass(frozen=True)
class FeatureParams:
    """Everything about the inputs that a checkpoint's weights depend on.

    Two checkpoints are only interchangeable when these compare equal, so the model never
    reads log-mel patches or summary vectors computed another way than during training.

    Parameters
    ----------
    sample_rate : int [Hz]
    n_mels : int
        Mel bands of one patch.
    patch_frames : int
        STFT frames of one patch (time axis of the network input).
    hop_length : int [samples]
    n_fft : int [samples]
    window_s : float [seconds]
        Length of one analysis window (one patch and one summary vector).
    summary_names : tuple of str
        Names of the summary features, in the order of the summary vector.
    schema_version : str
        The feature extractor's schema version (``FEATURE_SCHEMA_VERSION``).
    """

    sample_rate: int
    n_mels: int
    patch_frames: int
    hop_length: int
    n_fft: int
    window_s: float
    summary_names: tuple[str, ...]
    schema_version: str

    def __post_init__(self) -> None:
        for name in ("sample_rate", "n_mels", "patch_frames", "hop_length", "n_fft"):
            value = getattr(self, name)
            if not isinstance(value, int) or value <= 0:
                raise InvalidParameterError(f"FeatureParams.{name} must be a positive int, got {value!r}")
        if not self.window_s > 0:
            raise InvalidParameterError(f"FeatureParams.window_s must be > 0, got {self.window_s!r}")
        if len(set(self.summary_names)) != len(self.summary_names):
            raise InvalidParameterError("FeatureParams.summary_names has duplicates")

    @property
    def n_summary(self) -> int:
        """Length of the summary vector."""
        return len(self.summary_names)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able dict (tuples become lists)."""
        out = dataclasses.asdict(self)
        out["summary_names"] = list(self.summary_names)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FeatureParams:
        """Inverse of :meth:`to_dict`."""
        values = dict(data)
        values["summary_names"] = tuple(values.get("summary_names", ()))
        return cls(**values)


def current_feature_params() -> FeatureParams:
    """Feature parameters of the running extractor (what a checkpoint must match)."""
    return FeatureParams(
        sample_rate=fc.SAMPLE_RATE,
        n_mels=fc.N_MELS,
        patch_frames=fc.WINDOW_FRAMES,
        hop_length=fc.HOP_LENGTH,
        n_fft=fc.N_FFT,
        window_s=round(fc.WINDOW_FRAMES * fc.HOP_LENGTH / fc.SAMPLE_RATE, 6),
        summary_names=tuple(FEATURE_NAMES),
        schema_version=str(fc.FEATURE_SCHEMA_VERSION),
    )


@dataclass(frozen=True)
class ModelConfig:
    """Architecture and label set of one genre network.

    Parameters
    ----------
    labels : tuple of str
        Class labels in output order (taxonomy slugs, or a user's own genre names).
    features : FeatureParams
        The inputs the network reads.
    use_logmel : bool
        Whether the convolutional branch over log-mel patches is present.
    embedding_dim : int
        Width of an external embedding (musicnn) fused into the head; 0 means none.
    time_pool : int
        Average-pool factor over time before the conv blocks (2 halves the cost; 21 frames
        per second still resolve sixteenth notes at 175 BPM).
    conv_channels : tuple of int
        Output channels of each conv block (each block halves both axes).
    summary_hidden, embedding_hidden, fused_hidden : int
        Widths of the summary MLP, the embedding projection and the fused layer.
    dropout : float
        Dropout before the classifier.
    name, version : str
        Reported in analysis results.
    """

    labels: tuple[str, ...]
    features: FeatureParams
    use_logmel: bool = True
    embedding_dim: int = 0
    time_pool: int = 2
    conv_channels: tuple[int, ...] = (16, 32, 64, 96)
    summary_hidden: int = 64
    embedding_hidden: int = 64
    fused_hidden: int = 128
    dropout: float = 0.3
    name: str = MODEL_NAME
    version: str = "0"

    def __post_init__(self) -> None:
        if len(self.labels) < 2:
            raise InvalidParameterError(f"ModelConfig needs at least 2 labels, got {len(self.labels)}")
        if len(set(self.labels)) != len(self.labels):
            raise InvalidParameterError("ModelConfig.labels has duplicates")
        if self.embedding_dim < 0:
            raise InvalidParameterError(f"embedding_dim must be >= 0, got {self.embedding_dim}")
        if not self.use_logmel and self.embedding_dim == 0 and self.features.n_summary == 0:
            raise InvalidParameterError("ModelConfig has no input branch at all")
        if self.time_pool < 1:
            raise InvalidParameterError(f"time_pool must be >= 1, got {self.time_pool}")
        if not self.conv_channels or any(c <= 0 for c in self.conv_channels):
            raise InvalidParameterError(f"conv_channels must be positive, got {self.conv_channels}")
        if not 0.0 <= self.dropout < 1.0:
            raise InvalidParameterError(f"dropout must be in [0, 1), got {self.dropout}")

    @property
    def n_classes(self) -> int:
        """Number of output classes."""
        return len(self.labels)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able dict, the form stored in checkpoints."""
        return {
            "labels": list(self.labels),
            "features": self.features.to_dict(),
            "use_logmel": self.use_logmel,
            "embedding_dim": self.embedding_dim,
            "time_pool": self.time_pool,
            "conv_channels": list(self.conv_channels),
            "summary_hidden": self.summary_hidden,
            "embedding_hidden": self.embedding_hidden,
            "fused_hidden": self.fused_hidden,
            "dropout": self.dropout,
            "name": self.name,
            "version": self.version,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ModelConfig:
        """Inverse of :meth:`to_dict`."""
        values = dict(data)
        values["labels"] = tuple(values["labels"])
        values["features"] = FeatureParams.from_dict(values["features"])
        values["conv_channels"] = tuple(values["conv_channels"])
        return cls(**values)


@dataclass(frozen=True)
class TrainConfig:
    """Optimisation settings of one training run.

    Parameters
    ----------
    epochs : int
        Upper bound; early stopping usually ends sooner.
    batch_size : int
    lr, weight_decay : float
        AdamW settings; the LR follows a cosine schedule over ``epochs``.
    patience : int
        Epochs without a better validation score before stopping.
    seed : int
        Seeds initialisation, shuffling and augmentation.
    threads : int
        Torch intra-op threads (the target machines have two cores).
    gain_jitter_db : float
        Random level shift of each training patch [dB], so loudness alone is not learned.
    freq_mask : int
        Width of one random frequency mask per training patch [mel bands].
    label_smoothing : float
    """

    epochs: int = 30
    batch_size: int = 64
    lr: float = 2e-3
    weight_decay: float = 1e-3
    patience: int = 6
    seed: int = 0
    threads: int = 2
    gain_jitter_db: float = 6.0
    freq_mask: int = 8
    label_smoothing: float = 0.05

    def __post_init__(self) -> None:
        if self.epochs < 1 or self.batch_size < 1 or self.patience < 1 or self.threads < 1:
            raise InvalidParameterError(
                f"epochs, batch_size, patience and threads must be >= 1, got {self.epochs}, "
                f"{self.batch_size}, {self.patience}, {self.threads}"
            )
        if self.lr <= 0:
            raise InvalidParameterError(f"lr must be > 0, got {self.lr}")
