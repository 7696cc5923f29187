"""Read a file written by ``torch.save`` without torch: tensors come back as numpy arrays.

Inference reads the genre checkpoint (config, calibration, OOD statistics and the exported
ONNX graph) in processes that never import torch. ``torch.save`` writes a zip archive: a pickle
(``data.pkl``) whose tensors point, by persistent id, at raw little-endian storages
(``data/<key>``). The unpickler here accepts only what a checkpoint holds (dicts, lists,
numbers, strings, ``OrderedDict`` and plain tensors) and refuses every other global, as
``torch.load(weights_only=True)`` does; tests compare it with ``torch.load``.
"""

from __future__ import annotations

import io
import os
import pickle
import zipfile
from typing import Any

import numpy as np

__all__ = ["ArchiveError", "read_torch_archive"]

#: Storage class name -> element dtype (the typed storages ``torch.save`` pickles).
_STORAGE_DTYPES: dict[str, type[np.generic]] = {
    "DoubleStorage": np.float64,
    "FloatStorage": np.float32,
    "HalfStorage": np.float16,
    "LongStorage": np.int64,
    "IntStorage": np.int32,
    "ShortStorage": np.int16,
    "CharStorage": np.int8,
    "ByteStorage": np.uint8,
    "BoolStorage": np.bool_,
}


class ArchiveError(ValueError):
    """The file is not a ``torch.save`` archive this reader understands."""


class _Storage:
    """Stands in for a typed storage class: only its element type matters."""

    def __init__(self, dtype: type[np.generic]) -> None:
        self.dtype = dtype


def _rebuild_tensor(storage: np.ndarray, offset: int, size: tuple[int, ...], stride: tuple[int, ...],
                    *_: Any) -> np.ndarray:
    """``torch._utils._rebuild_tensor_v2`` for numpy: a copy of the strided view of a storage."""
    item = storage.itemsize
    if size and min(size) == 0:
        return np.zeros(size, dtype=storage.dtype)
    view = np.lib.stride_tricks.as_strided(
        storage[offset:], shape=size, strides=tuple(s * item for s in stride), writeable=False
    )
    return np.array(view)


class _Unpickler(pickle.Unpickler):
    def __init__(self, data: bytes, archive: zipfile.ZipFile, prefix: str) -> None:
        super().__init__(io.BytesIO(data))
        self.archive = archive
        self.prefix = prefix
        self.storages: dict[str, np.ndarray] = {}

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
            return _rebuild_tensor
        if (module, name) == ("collections", "OrderedDict"):
            return dict
        if module == "torch" and name in _STORAGE_DTYPES:
            return _Storage(_STORAGE_DTYPES[name])
        raise pickle.UnpicklingError(f"refused global {module}.{name}")

    def persistent_load(self, pid: Any) -> np.ndarray:
        if not (isinstance(pid, tuple) and len(pid) == 5 and pid[0] == "storage"):
            raise pickle.UnpicklingError(f"unknown persistent id {pid!r}")
        _, kind, key, _location, numel = pid
        if not isinstance(kind, _Storage):
            raise pickle.UnpicklingError(f"unknown storage type {kind!r}")
        if key not in self.storages:
            raw = self.archive.read(f"{self.prefix}data/{key}")
            self.storages[key] = np.frombuffer(raw, dtype=kind.dtype, count=int(numel))
        return self.storages[key]


def read_torch_archive(path: str | os.PathLike[str]) -> Any:
    """The object ``torch.save`` wrote to ``path``, tensors as numpy arrays (copies).

    Raises
    ------
    OSError
        The file cannot be read.
    ArchiveError
        Not a zip-format ``torch.save`` archive, big-endian, or it holds anything but plain
        containers, numbers, strings and dense CPU tensors.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            pickles = [n for n in archive.namelist() if n.endswith("/data.pkl")]
            if len(pickles) != 1:
                raise ArchiveError("no single data.pkl in the archive")
            prefix = pickles[0][: -len("data.pkl")]
            order = f"{prefix}byteorder"
            if order in archive.namelist() and archive.read(order).strip() != b"little":
                raise ArchiveError("big-endian archives are not supported")
            return _Unpickler(archive.read(pickles[0]), archive, prefix).load()
    except (zipfile.BadZipFile, KeyError, pickle.UnpicklingError, EOFError, TypeError, ValueError) as exc:
        if isinstance(exc, ArchiveError):
            raise
        raise ArchiveError(f"{type(exc).__name__}: {exc}") from exc
