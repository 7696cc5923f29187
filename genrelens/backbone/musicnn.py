"""The musicnn network (front, mid and back end) in PyTorch, layer for layer as in musicnn 0.1.0.

Reproduces ``build_musicnn`` of ``musicnn/models.py`` (Pons & Serra 2019) for the shipped
``MSD_musicnn`` and ``MTT_musicnn`` checkpoints (64 mid-end filters, 200 back-end units):

* front end: batch norm of the log-mel input, then two timbral blocks (7 x 38 and 7 x 67 kernels
  over time x mel, 204 filters each, time zero-padded by 3) and three temporal blocks (128 x 1,
  64 x 1, 32 x 1 kernels, 51 filters each, TF ``same`` padding); each block is conv -> ReLU ->
  batch norm -> max over the mel axis; the five maps are concatenated (561 channels);
* mid end: three 7-frame convolutions over the 561 (then 64) channels, each conv -> ReLU ->
  batch norm, the second and third with residual connections; the front-end map and the three
  mid-end maps are concatenated (753 channels);
* back end: max and mean over time (interleaved per channel as TF's ``flatten`` leaves them),
  batch norm, dropout (off at inference), dense 200 + ReLU, batch norm (the "penultimate"
  embedding), dropout, dense to the tag logits.

All batch norms use TF's default epsilon 1e-3.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from genrelens.backbone.frontend import N_MELS

__all__ = ["MusicnnConfig", "MusicnnOutput", "Musicnn"]

#: Epsilon of ``tf.compat.v1.layers.batch_normalization``.
BN_EPS = 1e-3
#: Time kernel of the timbral and mid-end convolutions [frames].
_TIME_KERNEL = 7
#: Share of the mel bands the two timbral kernels span (``int(0.4 * 96)``, ``int(0.7 * 96)``).
_TIMBRAL_SPANS = (0.4, 0.7)
#: Time spans of the three temporal kernels [frames].
_TEMPORAL_SPANS = (128, 64, 32)


@dataclass(frozen=True)
class MusicnnConfig:
    """Shape of one musicnn network (the shipped models share the defaults)."""

    n_classes: int = 50
    n_mels: int = N_MELS
    filters_factor: float = 1.6
    midend_filters: int = 64
    backend_units: int = 200

    @property
    def timbral_filters(self) -> int:
        return int(self.filters_factor * 128)

    @property
    def temporal_filters(self) -> int:
        return int(self.filters_factor * 32)

    @property
    def frontend_channels(self) -> int:
        return 2 * self.timbral_filters + 3 * self.temporal_filters

    @property
    def pooled_channels(self) -> int:
        """Channels of the mid-end output that the back end pools (753 for the defaults)."""
        return self.frontend_channels + 3 * self.midend_filters


@dataclass(frozen=True)
class MusicnnOutput:
    """Everything one forward pass gives, per patch."""

    #: [shape=(batch, n_classes)] tag logits (sigmoid gives musicnn's tag probabilities).
    logits: torch.Tensor
    #: [shape=(batch, 200)] batch-normalised penultimate dense layer (musicnn's "penultimate").
    penultimate: torch.Tensor
    #: [shape=(batch, 753)] mean over time of the front- and mid-end maps ("mean_pool").
    mean_pool: torch.Tensor
    #: [shape=(batch, 753)] max over time of the same maps ("max_pool").
    max_pool: torch.Tensor


class _FreqPooledConv(nn.Module):
    """conv -> ReLU -> batch norm -> max over the mel axis: musicnn's timbral and tempo blocks."""

    def __init__(self, filters: int, kernel: tuple[int, int], time_pad: tuple[int, int]) -> None:
        super().__init__()
        self.time_pad = time_pad
        self.conv = nn.Conv2d(1, filters, kernel_size=kernel)
        self.bn = nn.BatchNorm2d(filters, eps=BN_EPS)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # x [batch, 1, time, mel] -> [batch, filters, time]
        x = F.pad(x, (0, 0, *self.time_pad))
        pooled: torch.Tensor = self.bn(F.relu(self.conv(x))).amax(dim=3)
        return pooled


class _MidendConv(nn.Module):
    """7-frame convolution over all channels -> ReLU -> batch norm."""

    def __init__(self, channels: int, filters: int) -> None:
        super().__init__()
        self.conv = nn.Conv1d(channels, filters, kernel_size=_TIME_KERNEL)
        self.bn = nn.BatchNorm1d(filters, eps=BN_EPS)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        pad = _TIME_KERNEL // 2
        out: torch.Tensor = self.bn(F.relu(self.conv(F.pad(x, (pad, pad)))))
        return out


def _same_padding(kernel: int) -> tuple[int, int]:
    """TF's ``padding="same"`` for stride 1: the odd sample goes after."""
    total = kernel - 1
    return total // 2, total - total // 2


class Musicnn(nn.Module):
    """musicnn: log-mel patches -> tag logits (and, with :meth:`features`, its embeddings).

    Parameters
    ----------
    config : MusicnnConfig
        Layer sizes; the defaults are those of ``MSD_musicnn`` and ``MTT_musicnn``.

    Examples
    --------
    >>> net = Musicnn().eval()
    >>> net(torch.zeros(2, 187, 96)).shape
    torch.Size([2, 50])

    References
    ----------
    .. [1] J. Pons and X. Serra, "musicnn: pre-trained convolutional neural networks for music
       audio tagging", ISMIR late-breaking/demo, 2019.
    .. [2] J. Pons et al., "End-to-end learning for music audio tagging at scale", ISMIR 2018.
    """

    def __init__(self, config: MusicnnConfig | None = None) -> None:
        super().__init__()
        self.config = cfg = config or MusicnnConfig()
        pad = _TIME_KERNEL // 2
        self.input_bn = nn.BatchNorm2d(1, eps=BN_EPS)
        self.timbral = nn.ModuleList(
            _FreqPooledConv(cfg.timbral_filters, (_TIME_KERNEL, int(span * cfg.n_mels)), (pad, pad))
            for span in _TIMBRAL_SPANS
        )
        self.temporal = nn.ModuleList(
            _FreqPooledConv(cfg.temporal_filters, (span, 1), _same_padding(span))
            for span in _TEMPORAL_SPANS
        )
        self.midend = nn.ModuleList(
            _MidendConv(channels, cfg.midend_filters)
            for channels in (cfg.frontend_channels, cfg.midend_filters, cfg.midend_filters)
        )
        self.pool_bn = nn.BatchNorm1d(2 * cfg.pooled_channels, eps=BN_EPS)
        self.dense = nn.Linear(2 * cfg.pooled_channels, cfg.backend_units)
        self.dense_bn = nn.BatchNorm1d(cfg.backend_units, eps=BN_EPS)
        self.dropout = nn.Dropout(0.5)
        self.output = nn.Linear(cfg.backend_units, cfg.n_classes)

    def features(self, log_mel: torch.Tensor) -> MusicnnOutput:
        """Run the network and keep the embeddings musicnn's extractor exposes.

        Parameters
        ----------
        log_mel : torch.Tensor [shape=(batch, frames, n_mels)]
            Output of :func:`~genrelens.backbone.frontend.log_mel`; 187 frames for the
            shipped models (the network itself accepts any length of at least one frame).

        Returns
        -------
        out : MusicnnOutput
        """
        x = self.input_bn(log_mel.unsqueeze(1))
        front = torch.cat([block(x) for block in (*self.timbral, *self.temporal)], dim=1)
        mid1 = self.midend[0](front)
        mid2 = self.midend[1](mid1) + mid1
        mid3 = self.midend[2](mid2) + mid2
        maps = torch.cat([front, mid1, mid2, mid3], dim=1)  # [batch, 753, time]
        max_pool = maps.amax(dim=2)
        mean_pool = maps.mean(dim=2)
        # TF flattens [channels, (max, mean)], so the two statistics alternate per channel.
        flat = torch.stack([max_pool, mean_pool], dim=2).flatten(1)
        hidden = F.relu(self.dense(self.dropout(self.pool_bn(flat))))
        penultimate = self.dense_bn(hidden)
        logits = self.output(self.dropout(penultimate))
        return MusicnnOutput(
            logits=logits, penultimate=penultimate, mean_pool=mean_pool, max_pool=max_pool
        )

    def forward(self, log_mel: torch.Tensor) -> torch.Tensor:
        """Tag logits [shape=(batch, n_classes)] of log-mel patches [shape=(batch, frames, 96)]."""
        return self.features(log_mel).logits
