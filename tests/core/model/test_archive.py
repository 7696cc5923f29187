"""The torch-free checkpoint reader gives what ``torch.load`` gives, and refuses the rest."""

from __future__ import annotations

import pickle
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from genrelens.model.archive import ArchiveError, read_torch_archive
from genrelens.model.checkpoint import load_checkpoint
from genrelens.model.export import PARITY_TOLERANCE, check_graph
from genrelens.model.identity import default_weights_path


def _same(ours: Any, theirs: Any) -> None:
    if isinstance(theirs, torch.Tensor):
        assert isinstance(ours, np.ndarray)
        assert ours.dtype == theirs.numpy().dtype and ours.shape == tuple(theirs.shape)
        np.testing.assert_array_equal(ours, theirs.numpy())
    elif isinstance(theirs, dict):
        assert set(ours) == set(theirs)
        for key in theirs:
            _same(ours[key], theirs[key])
    elif isinstance(theirs, list | tuple):
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs, strict=True):
            _same(a, b)
    else:
        assert ours == theirs


def test_tensors_of_every_kind_read_as_torch_loads_them(tmp_path: Path) -> None:
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
    payload = {
        "floats": [base, base.double(), base.half()],
        "ints": (base.long(), base.int(), base.short(), base.to(torch.int8), base.to(torch.uint8)),
        "bools": base > 10,
        "views": {"transposed": base.t(), "strided": base[1:, ::2], "scalar": torch.tensor(3.5)},
        "empty": torch.zeros(0, 3),
        "state": OrderedDict(w=torch.ones(2, 2)),
        "meta": {"name": "x", "n": 3, "t": 1.5, "none": None},
    }
    path = tmp_path / "p.pt"
    torch.save(payload, path)
    _same(read_torch_archive(path), torch.load(path, weights_only=True))


def test_anything_but_plain_data_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.pt"
    torch.save({"module": torch.nn.Linear(2, 2)}, path)
    with pytest.raises(ArchiveError):
        read_torch_archive(path)
    (tmp_path / "plain.pkl").write_bytes(pickle.dumps({"a": 1}))
    with pytest.raises(ArchiveError):
        read_torch_archive(tmp_path / "plain.pkl")


def test_shipped_checkpoint_graph_matches_its_weights() -> None:
    ckpt = load_checkpoint(default_weights_path())
    assert ckpt.onnx_graph is not None
    assert check_graph(ckpt.onnx_graph, ckpt.net) <= PARITY_TOLERANCE
