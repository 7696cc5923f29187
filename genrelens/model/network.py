"""The genre network: a small CNN over log-mel patches fused with summary features."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from genrelens.errors import InvalidParameterError
from genrelens.model.artifact import INFER_BATCH, NetworkOutputs, check_window_inputs
from genrelens.model.config import ModelConfig

__all__ = ["InputNorm", "GenreNet", "BN_EPS", "run_network", "EagerRunner"]

#: BatchNorm epsilon (explicit so exported graphs match eager numerics).
BN_EPS = 1e-5
#: Floor of a standard deviation when standardising inputs.
STD_FLOOR = 1e-3


class InputNorm(nn.Module):
    """Standardises log-mel bands and summary features with statistics of the training set.

    The statistics live in buffers, so they travel with the weights in every checkpoint and the
    network never sees inputs scaled differently from training.

    Parameters
    ----------
    n_mels : int
    n_summary : int
    n_embedding : int
    """

    mel_mean: torch.Tensor
    mel_std: torch.Tensor
    summary_mean: torch.Tensor
    summary_std: torch.Tensor
    embedding_mean: torch.Tensor
    embedding_std: torch.Tensor

    def __init__(self, n_mels: int, n_summary: int, n_embedding: int) -> None:
        super().__init__()
        self.register_buffer("mel_mean", torch.zeros(n_mels))
        self.register_buffer("mel_std", torch.ones(n_mels))
        self.register_buffer("summary_mean", torch.zeros(n_summary))
        self.register_buffer("summary_std", torch.ones(n_summary))
        self.register_buffer("embedding_mean", torch.zeros(n_embedding))
        self.register_buffer("embedding_std", torch.ones(n_embedding))

    @torch.no_grad()
    def fit(
        self,
        logmel: np.ndarray,
        summary: np.ndarray,
        embedding: np.ndarray | None = None,
    ) -> None:
        """Set the statistics from training arrays.

        Parameters
        ----------
        logmel : np.ndarray [shape=(n, n_mels, frames)]
        summary : np.ndarray [shape=(n, n_summary)]
        embedding : np.ndarray [shape=(n, n_embedding)] or None
        """
        mel = np.asarray(logmel, dtype=np.float64)
        self.mel_mean.copy_(torch.from_numpy(mel.mean(axis=(0, 2))))
        self.mel_std.copy_(torch.from_numpy(np.maximum(mel.std(axis=(0, 2)), STD_FLOOR)))
        if summary.shape[1]:
            summ = np.asarray(summary, dtype=np.float64)
            self.summary_mean.copy_(torch.from_numpy(summ.mean(axis=0)))
            self.summary_std.copy_(torch.from_numpy(np.maximum(summ.std(axis=0), STD_FLOOR)))
        if embedding is not None and embedding.shape[1]:
            emb = np.asarray(embedding, dtype=np.float64)
            self.embedding_mean.copy_(torch.from_numpy(emb.mean(axis=0)))
            self.embedding_std.copy_(torch.from_numpy(np.maximum(emb.std(axis=0), STD_FLOOR)))

    def forward(
        self, logmel: torch.Tensor, summary: torch.Tensor, embedding: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        mel = (logmel - self.mel_mean[None, :, None]) / self.mel_std[None, :, None]
        summ = (summary - self.summary_mean) / self.summary_std
        emb = (embedding - self.embedding_mean) / self.embedding_std
        return mel, summ, emb


def _conv_block(c_in: int, c_out: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, kernel_size=3, padding=1, bias=False),
        nn.BatchNorm2d(c_out, eps=BN_EPS),
        nn.ReLU(inplace=True),
        nn.MaxPool2d(2),
    )


class GenreNet(nn.Module):
    """Per-window genre classifier.

    Branches (each optional per :class:`ModelConfig`): conv blocks over the standardised log-mel
    patch, pooled by mean and max over time; an MLP over the summary vector; a projection of an
    external embedding (musicnn). Their concatenation goes through one hidden layer (the
    "fused embedding", also used for out-of-distribution scoring) and a linear classifier.

    Parameters
    ----------
    config : ModelConfig
    """

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.config = config
        feats = config.features
        self.norm = InputNorm(feats.n_mels, feats.n_summary, config.embedding_dim)
        width = 0
        self.conv: nn.Sequential | None = None
        if config.use_logmel:
            blocks: list[nn.Module] = []
            if config.time_pool > 1:
                blocks.append(nn.AvgPool2d((1, config.time_pool)))
            c_in = 1
            for c_out in config.conv_channels:
                blocks.append(_conv_block(c_in, c_out))
                c_in = c_out
            self.conv = nn.Sequential(*blocks)
            width += 2 * c_in
        self.summary_mlp: nn.Sequential | None = None
        if feats.n_summary:
            self.summary_mlp = nn.Sequential(
                nn.Linear(feats.n_summary, config.summary_hidden), nn.ReLU(inplace=True)
            )
            width += config.summary_hidden
        self.embedding_mlp: nn.Sequential | None = None
        if config.embedding_dim:
            self.embedding_mlp = nn.Sequential(
                nn.Linear(config.embedding_dim, config.embedding_hidden), nn.ReLU(inplace=True)
            )
            width += config.embedding_hidden
        self.fused = nn.Sequential(nn.Linear(width, config.fused_hidden), nn.ReLU(inplace=True))
        self.dropout = nn.Dropout(config.dropout)
        self.classifier = nn.Linear(config.fused_hidden, config.n_classes)
        self._channels_last = False

    def set_channels_last(self, enabled: bool) -> None:
        """Run the conv blocks in channels-last memory format (a CPU speed option).

        The numbers are the same within float tolerance; see bench/model_inference.py for
        whether it is faster on a given machine.
        """
        self._channels_last = enabled
        if self.conv is not None:
            fmt = torch.channels_last if enabled else torch.contiguous_format
            self.conv.to(memory_format=fmt)  # type: ignore[call-overload]

    def embed(
        self, logmel: torch.Tensor, summary: torch.Tensor, embedding: torch.Tensor | None = None
    ) -> torch.Tensor:
        """Fused embedding [shape=(batch, fused_hidden)] of a batch of windows.

        Parameters
        ----------
        logmel : torch.Tensor [shape=(batch, n_mels, frames)]
        summary : torch.Tensor [shape=(batch, n_summary)]
        embedding : torch.Tensor [shape=(batch, embedding_dim)] or None
        """
        feats = self.config.features
        if logmel.ndim != 3 or logmel.shape[1] != feats.n_mels:
            raise InvalidParameterError(
                f"logmel must have shape (batch, {feats.n_mels}, frames), got {tuple(logmel.shape)}"
            )
        if summary.ndim != 2 or summary.shape[1] != feats.n_summary:
            raise InvalidParameterError(
                f"summary must have shape (batch, {feats.n_summary}), got {tuple(summary.shape)}"
            )
        if embedding is None:
            if self.config.embedding_dim:
                raise InvalidParameterError("this model needs an embedding input (musicnn)")
            embedding = summary.new_zeros((summary.shape[0], 0))
        mel, summ, emb = self.norm(logmel, summary, embedding)
        parts: list[torch.Tensor] = []
        if self.conv is not None:
            x = mel.unsqueeze(1)
            if self._channels_last:
                x = x.contiguous(memory_format=torch.channels_last)
            h = self.conv(x).mean(dim=2)
            parts += [h.mean(dim=2), h.amax(dim=2)]
        if self.summary_mlp is not None:
            parts.append(self.summary_mlp(summ))
        if self.embedding_mlp is not None:
            parts.append(self.embedding_mlp(emb))
        fused: torch.Tensor = self.fused(torch.cat(parts, dim=1))
        return fused

    def classify(self, fused: torch.Tensor) -> torch.Tensor:
        """Logits from a fused embedding."""
        logits: torch.Tensor = self.classifier(self.dropout(fused))
        return logits

    def forward(
        self, logmel: torch.Tensor, summary: torch.Tensor, embedding: torch.Tensor | None = None
    ) -> torch.Tensor:
        """Logits [shape=(batch, n_classes)] of a batch of windows (uncalibrated)."""
        return self.classify(self.embed(logmel, summary, embedding))


@torch.no_grad()
def run_network(
    net: GenreNet,
    logmel: np.ndarray,
    summary: np.ndarray,
    embedding: np.ndarray | None = None,
    *,
    batch_size: int = INFER_BATCH,
) -> NetworkOutputs:
    """Logits and fused embeddings of windows, in eval mode, in fixed-size chunks.

    Each window's output depends only on that window (eval-mode BatchNorm, no cross-window
    ops), so results match item-by-item calls within float tolerance.

    Parameters
    ----------
    net : GenreNet
    logmel : np.ndarray [shape=(n, n_mels, frames)]
    summary : np.ndarray [shape=(n, n_summary)]
    embedding : np.ndarray [shape=(n, dim)] or None
    batch_size : int

    Returns
    -------
    NetworkOutputs
    """
    check_window_inputs(net.config, logmel, summary, embedding)
    was_training = net.training
    net.eval()
    n = logmel.shape[0]
    logits = np.zeros((n, net.config.n_classes), dtype=np.float32)
    fused = np.zeros((n, net.config.fused_hidden), dtype=np.float32)
    try:
        for start in range(0, n, batch_size):
            sl = slice(start, start + batch_size)
            emb = None if embedding is None else torch.from_numpy(np.asarray(embedding[sl], np.float32))
            f = net.embed(
                torch.from_numpy(np.asarray(logmel[sl], np.float32)),
                torch.from_numpy(np.asarray(summary[sl], np.float32)),
                emb,
            )
            fused[sl] = f.numpy()
            logits[sl] = net.classify(f).numpy()
    finally:
        net.train(was_training)
    return NetworkOutputs(logits=logits, fused=fused)


class EagerRunner:
    """Runs a network eagerly with the interface of :class:`genrelens.model.fast.OnnxRunner`.

    For tests and for networks that have no exported graph yet (a model being trained):
    ``GenreModel(checkpoint.artifact, EagerRunner(checkpoint.net))``.
    """

    def __init__(self, net: GenreNet) -> None:
        self.net = net.eval()

    def run(
        self, logmel: np.ndarray, summary: np.ndarray, embedding: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Logits and fused embeddings of one batch of windows."""
        out = run_network(self.net, logmel, summary, embedding)
        return out.logits, out.fused
