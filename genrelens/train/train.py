"""Training loop: seeded, resumable each epoch, early stopping on validation, progress on stderr."""

from __future__ import annotations

import dataclasses
import os
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import torch
from torch import nn

from genrelens.errors import InvalidParameterError, ModelMismatchError
from genrelens.model.checkpoint import Checkpoint, atomic_torch_save
from genrelens.model.config import ModelConfig, TrainConfig
from genrelens.model.network import GenreNet, run_network
from genrelens.predict.infer import softmax
from genrelens.train.calibrate import expected_calibration_error, fit_ood, fit_temperature
from genrelens.train.data import WindowSet

__all__ = ["STATE_FILE", "TrainResult", "seed_everything", "train_model", "transfer_weights"]

#: Name of the per-epoch resumable training state inside the work directory.
STATE_FILE = "train_state.pt"
#: Progress lines per epoch (besides the epoch summary).
PROGRESS_LINES_PER_EPOCH = 4


def seed_everything(seed: int) -> torch.Generator:
    """Seed Python, NumPy and torch, turn on deterministic algorithms, return a torch generator."""
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)
    gen = torch.Generator()
    gen.manual_seed(seed)
    return gen


@dataclass
class TrainResult:
    """What a training run produced.

    Parameters
    ----------
    checkpoint : Checkpoint
        Best epoch's weights, calibrated, with OOD statistics and metrics.
    history : list of dict
        One row per epoch: losses, accuracies, learning rate, seconds.
    best_epoch : int
    resumed_from : int
        Epochs already done when this call started (0 for a fresh run).
    """

    checkpoint: Checkpoint
    history: list[dict[str, float]] = field(default_factory=list)
    best_epoch: int = 0
    resumed_from: int = 0


def transfer_weights(target: GenreNet, source: GenreNet) -> list[str]:
    """Copy every parameter and buffer whose name and shape match (fine-tuning a base model).

    The classifier of a base model with other labels does not fit and is left freshly
    initialised; everything else (input statistics, conv blocks, MLPs) is reused.

    Returns
    -------
    list of str
        Names that were not copied.
    """
    src = source.state_dict()
    dst = target.state_dict()
    skipped = []
    for name, value in dst.items():
        if name in src and src[name].shape == value.shape:
            dst[name] = src[name].clone()
        else:
            skipped.append(name)
    target.load_state_dict(dst)
    return skipped


def _class_weights(labels: np.ndarray, n_classes: int) -> torch.Tensor:
    counts = np.bincount(labels, minlength=n_classes).astype(np.float64)
    weights = np.where(counts > 0, counts.sum() / (n_classes * np.maximum(counts, 1)), 0.0)
    return torch.from_numpy(weights).float()


def _augment(mel: torch.Tensor, net: GenreNet, cfg: TrainConfig, gen: torch.Generator) -> torch.Tensor:
    batch, n_mels, _ = mel.shape
    if cfg.gain_jitter_db > 0:
        shift = (torch.rand(batch, 1, 1, generator=gen) * 2 - 1) * cfg.gain_jitter_db
        mel = mel + shift
    if cfg.freq_mask > 0 and n_mels > cfg.freq_mask:
        width = torch.randint(0, cfg.freq_mask + 1, (batch,), generator=gen)
        start = torch.randint(0, n_mels - cfg.freq_mask, (batch,), generator=gen)
        bands = torch.arange(n_mels)[None, :]
        mask = (bands >= start[:, None]) & (bands < (start + width)[:, None])
        fill = net.norm.mel_mean[None, :, None].expand_as(mel)
        mel = torch.where(mask[:, :, None], fill, mel)
    return mel


def _evaluate_windows(net: GenreNet, data: WindowSet, weights: torch.Tensor) -> dict[str, float]:
    out = run_network(net, data.logmel, data.summary, data.embedding)
    logits = torch.from_numpy(out.logits)
    loss = nn.functional.cross_entropy(logits, torch.from_numpy(data.labels), weight=weights)
    return {
        "loss": float(loss),
        "acc": float((out.logits.argmax(axis=1) == data.labels).mean()),
    }


def _state_matches(state: dict[str, Any], config: ModelConfig, cfg: TrainConfig) -> bool:
    return bool(
        state.get("config") == config.to_dict() and state.get("train_config") == dataclasses.asdict(cfg)
    )


def train_model(
    train: WindowSet,
    val: WindowSet,
    *,
    config: ModelConfig,
    train_config: TrainConfig,
    work_dir: str | os.PathLike[str],
    base: GenreNet | None = None,
    resume: bool = True,
    stop_after: int | None = None,
    progress: TextIO | None = sys.stderr,
) -> TrainResult:
    """Train a :class:`GenreNet` with AdamW and a cosine schedule, keeping the best epoch.

    After each epoch the whole state (weights, optimiser, scheduler, RNG, history, best
    weights) is written to ``work_dir/train_state.pt``; calling again with the same
    configuration continues from there. Training ends early after ``patience`` epochs without
    a better validation accuracy (ties broken by lower validation loss). The best weights are
    then calibrated by temperature scaling on the validation windows, and out-of-distribution
    statistics are fitted on the training windows.

    Parameters
    ----------
    train, val : WindowSet
        Disjoint by track (validation tracks never appear in training).
    config : ModelConfig
    train_config : TrainConfig
    work_dir : path-like
    base : GenreNet or None
        Weights to start from (fine-tuning); matching layers are copied, the input
        statistics are kept rather than refitted.
    resume : bool
        Continue from ``work_dir`` when it holds a state for the same configuration.
    stop_after : int or None
        Run at most this many epochs in this call (train in slices on a busy machine; the
        next call resumes). The result then holds the best weights so far.
    progress : text stream or None
        Where progress lines go (stderr by default; None for silence).

    Returns
    -------
    TrainResult

    Raises
    ------
    InvalidParameterError
        Empty sets or labels outside ``config.labels``.
    ModelMismatchError
        ``work_dir`` holds a state of another configuration and ``resume`` is True.
    """
    cfg = train_config
    if len(train) == 0 or len(val) == 0:
        raise InvalidParameterError(f"train ({len(train)}) and val ({len(val)}) must be non-empty")
    for name, data in (("train", train), ("val", val)):
        if data.labels.min() < 0 or data.labels.max() >= config.n_classes:
            raise InvalidParameterError(f"{name} labels outside 0..{config.n_classes - 1}")
    if set(train.track_ids.tolist()) & set(val.track_ids.tolist()):
        raise InvalidParameterError("train and val share tracks; split by track, not by window")

    def say(msg: str) -> None:
        if progress is not None:
            print(msg, file=progress, flush=True)

    torch.set_num_threads(cfg.threads)
    gen = seed_everything(cfg.seed)
    net = GenreNet(config)
    if base is not None:
        skipped = transfer_weights(net, base)
        say(f"fine-tuning: reused all but {len(skipped)} tensors of the base model")
    else:
        net.norm.fit(train.logmel, train.summary, train.embedding)
    optimiser = torch.optim.AdamW(net.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    steps_per_epoch = -(-len(train) // cfg.batch_size)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, T_max=cfg.epochs * steps_per_epoch)
    weights = _class_weights(train.labels, config.n_classes)
    criterion = nn.CrossEntropyLoss(weight=weights, label_smoothing=cfg.label_smoothing)

    out_dir = Path(work_dir)
    state_path = out_dir / STATE_FILE
    history: list[dict[str, float]] = []
    best: tuple[float, float] = (-1.0, float("inf"))
    best_state = {k: v.clone() for k, v in net.state_dict().items()}
    best_epoch, bad_epochs, start_epoch = 0, 0, 0
    if resume and state_path.is_file():
        state = torch.load(state_path, map_location="cpu", weights_only=True)
        if not _state_matches(state, config, cfg):
            raise ModelMismatchError(
                f"{state_path} holds a training state of another configuration; "
                "use another work directory or start fresh (--no-resume)",
                extra={"path": str(state_path)},
            )
        net.load_state_dict(state["net"])
        optimiser.load_state_dict(state["optimiser"])
        scheduler.load_state_dict(state["scheduler"])
        gen.set_state(state["generator"])
        torch.set_rng_state(state["torch_rng"])  # dropout draws from the global generator
        history = list(state["history"])
        best = (float(state["best"][0]), float(state["best"][1]))
        best_state = state["best_state"]
        best_epoch, bad_epochs, start_epoch = (
            state["best_epoch"],
            state["bad_epochs"],
            state["epoch"],
        )
        say(f"resumed from {state_path} after epoch {start_epoch}")

    last_epoch = cfg.epochs if stop_after is None else min(cfg.epochs, start_epoch + stop_after)
    for epoch in range(start_epoch, last_epoch):
        if bad_epochs >= cfg.patience:
            break
        t0 = time.perf_counter()
        net.train()
        order = torch.randperm(len(train), generator=gen).numpy()
        total, correct, seen = 0.0, 0, 0
        report_every = max(1, steps_per_epoch // PROGRESS_LINES_PER_EPOCH)
        for step in range(steps_per_epoch):
            idx = np.sort(order[step * cfg.batch_size : (step + 1) * cfg.batch_size])
            mel = torch.from_numpy(np.asarray(train.logmel[idx], np.float32))
            mel = _augment(mel, net, cfg, gen)
            summ = torch.from_numpy(np.asarray(train.summary[idx], np.float32))
            emb = (
                None
                if train.embedding is None
                else torch.from_numpy(np.asarray(train.embedding[idx], np.float32))
            )
            y = torch.from_numpy(train.labels[idx])
            logits = net(mel, summ, emb)
            loss = criterion(logits, y)
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            optimiser.step()
            scheduler.step()
            total += float(loss.detach()) * len(idx)
            correct += int((logits.argmax(dim=1) == y).sum())
            seen += len(idx)
            if (step + 1) % report_every == 0 and step + 1 < steps_per_epoch:
                say(f"  epoch {epoch + 1} batch {step + 1}/{steps_per_epoch} loss {total / seen:.3f}")
        val_metrics = _evaluate_windows(net, val, weights)
        row = {
            "epoch": float(epoch + 1),
            "train_loss": total / seen,
            "train_acc": correct / seen,
            "val_loss": val_metrics["loss"],
            "val_acc": val_metrics["acc"],
            "lr": float(scheduler.get_last_lr()[0]),
            "seconds": time.perf_counter() - t0,
        }
        history.append(row)
        score = (row["val_acc"], row["val_loss"])
        if score[0] > best[0] or (score[0] == best[0] and score[1] < best[1]):
            best, best_epoch, bad_epochs = score, epoch + 1, 0
            best_state = {k: v.clone() for k, v in net.state_dict().items()}
        else:
            bad_epochs += 1
        say(
            f"epoch {epoch + 1}/{cfg.epochs} train loss {row['train_loss']:.3f} "
            f"acc {row['train_acc']:.3f} | val loss {row['val_loss']:.3f} acc {row['val_acc']:.3f}"
            f" | {row['seconds']:.1f} s{' *' if best_epoch == epoch + 1 else ''}"
        )
        atomic_torch_save(
            {
                "config": config.to_dict(),
                "train_config": dataclasses.asdict(cfg),
                "net": net.state_dict(),
                "optimiser": optimiser.state_dict(),
                "scheduler": scheduler.state_dict(),
                "generator": gen.get_state(),
                "torch_rng": torch.get_rng_state(),
                "history": history,
                "best": list(best),
                "best_state": best_state,
                "best_epoch": best_epoch,
                "bad_epochs": bad_epochs,
                "epoch": epoch + 1,
            },
            state_path,
        )

    net.load_state_dict(best_state)
    net.eval()
    val_out = run_network(net, val.logmel, val.summary, val.embedding)
    temperature = fit_temperature(val_out.logits, val.labels)
    train_out = run_network(net, train.logmel, train.summary, train.embedding)
    ood = fit_ood(train_out.fused, train.labels, n_classes=config.n_classes, held_out=val_out.fused)
    metrics = {
        "best_epoch": best_epoch,
        "epochs_run": len(history),
        "val_window_acc": best[0],
        "temperature": temperature,
        "val_window_ece_before": expected_calibration_error(softmax(val_out.logits), val.labels),
        "val_window_ece_after": expected_calibration_error(
            softmax(val_out.logits, temperature=temperature), val.labels
        ),
        "mean_epoch_seconds": float(np.mean([h["seconds"] for h in history])) if history else 0.0,
        "train_windows": len(train),
        "val_windows": len(val),
        "seed": cfg.seed,
    }
    say(f"best epoch {best_epoch}: val acc {best[0]:.3f}; temperature {temperature:.3f}")
    ckpt = Checkpoint(config=config, net=net, temperature=temperature, ood=ood, metrics=metrics)
    return TrainResult(checkpoint=ckpt, history=history, best_epoch=best_epoch, resumed_from=start_epoch)
