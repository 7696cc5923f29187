"""Training: it learns, it is reproducible by seed, it resumes, it fine-tunes."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import torch

from genrelens.errors import InvalidParameterError, ModelMismatchError
from genrelens.model.config import ModelConfig, TrainConfig
from genrelens.model.network import run_network
from genrelens.train.data import WindowSet
from genrelens.train.train import STATE_FILE, train_model

MakeWindows = Callable[..., WindowSet]
FAST = TrainConfig(epochs=8, batch_size=16, lr=1e-2, patience=8, seed=7, threads=1)


def _held_out_accuracy(net: torch.nn.Module, test: WindowSet) -> float:
    out = run_network(net, test.logmel, test.summary)  # type: ignore[arg-type]
    return float((out.logits.argmax(axis=1) == test.labels).mean())


def test_tiny_run_learns_above_chance(tmp_path: Path, config: ModelConfig, make_windows: MakeWindows) -> None:
    train, val, test = (
        make_windows(24, 3, seed=1),
        make_windows(9, 3, seed=2),
        make_windows(9, 3, seed=3),
    )
    log = io.StringIO()
    result = train_model(train, val, config=config, train_config=FAST, work_dir=tmp_path, progress=log)
    acc = _held_out_accuracy(result.checkpoint.net, test)
    assert acc > 0.7, f"held-out accuracy {acc:.2f} (chance 0.33)"
    assert "epoch 1/8" in log.getvalue()
    assert result.checkpoint.temperature > 0
    assert result.checkpoint.ood is not None and result.checkpoint.ood.threshold > 0
    assert (tmp_path / STATE_FILE).is_file()
    assert result.checkpoint.metrics["best_epoch"] == result.best_epoch


def test_same_seed_same_weights_and_interrupted_run_resumes_identically(
    tmp_path: Path, config: ModelConfig, make_windows: MakeWindows
) -> None:
    train, val = make_windows(12, 2, seed=1), make_windows(6, 2, seed=2)
    cfg = dataclasses.replace(FAST, epochs=3, patience=10)
    straight = train_model(
        train, val, config=config, train_config=cfg, work_dir=tmp_path / "a", progress=None
    )
    again = train_model(train, val, config=config, train_config=cfg, work_dir=tmp_path / "b", progress=None)
    work = tmp_path / "c"
    first = train_model(
        train, val, config=config, train_config=cfg, work_dir=work, stop_after=1, progress=None
    )
    assert len(first.history) == 1
    log = io.StringIO()
    resumed = train_model(train, val, config=config, train_config=cfg, work_dir=work, progress=log)
    assert resumed.resumed_from == 1 and "resumed from" in log.getvalue()
    assert [h["val_loss"] for h in resumed.history] == [h["val_loss"] for h in straight.history]
    for a, b, c in zip(
        straight.checkpoint.net.state_dict().values(),
        again.checkpoint.net.state_dict().values(),
        resumed.checkpoint.net.state_dict().values(),
        strict=True,
    ):
        torch.testing.assert_close(a, b, rtol=0, atol=0)
        torch.testing.assert_close(a, c, rtol=0, atol=0)


def test_resume_with_other_config_raises(
    tmp_path: Path, config: ModelConfig, make_windows: MakeWindows
) -> None:
    train, val = make_windows(6, 2, seed=1), make_windows(3, 2, seed=2)
    cfg = dataclasses.replace(FAST, epochs=1)
    train_model(train, val, config=config, train_config=cfg, work_dir=tmp_path, progress=None)
    with pytest.raises(ModelMismatchError, match="another configuration"):
        train_model(
            train,
            val,
            config=config,
            train_config=dataclasses.replace(cfg, lr=1e-4),
            work_dir=tmp_path,
            progress=None,
        )


def test_fine_tune_with_own_labels_reuses_base(
    tmp_path: Path, config: ModelConfig, make_windows: MakeWindows
) -> None:
    train, val = make_windows(12, 2, seed=1), make_windows(6, 2, seed=2)
    cfg = dataclasses.replace(FAST, epochs=2)
    base = train_model(train, val, config=config, train_config=cfg, work_dir=tmp_path / "base", progress=None)
    mine = dataclasses.replace(config, labels=("sunday", "warehouse"))
    two_train = train.take(train.labels < 2)
    two_val = val.take(val.labels < 2)
    log = io.StringIO()
    tuned = train_model(
        two_train,
        two_val,
        config=mine,
        train_config=dataclasses.replace(cfg, epochs=1),
        work_dir=tmp_path / "tuned",
        base=base.checkpoint.net,
        progress=log,
    )
    assert "reused all but 2 tensors" in log.getvalue()  # classifier weight and bias
    torch.testing.assert_close(tuned.checkpoint.net.norm.mel_mean, base.checkpoint.net.norm.mel_mean)
    assert tuned.checkpoint.config.labels == ("sunday", "warehouse")


def test_track_leak_and_bad_labels_rejected(
    tmp_path: Path, config: ModelConfig, make_windows: MakeWindows
) -> None:
    train = make_windows(6, 2, seed=1)
    with pytest.raises(InvalidParameterError, match="share tracks"):
        train_model(train, train, config=config, train_config=FAST, work_dir=tmp_path, progress=None)
    bad = dataclasses.replace(make_windows(3, 2, seed=2), labels=np.full(6, 5, dtype=np.int64))
    with pytest.raises(InvalidParameterError, match="labels outside"):
        train_model(train, bad, config=config, train_config=FAST, work_dir=tmp_path, progress=None)
