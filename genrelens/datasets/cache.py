"""Feature cache: arrays per audio file as .npz, keyed by content hash, schema and parameters."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from genrelens.errors import InvalidParameterError

__all__ = ["HASH_CHUNK", "FeatureCache", "file_digest"]

#: Bytes read per step while hashing a file.
HASH_CHUNK = 1 << 20

Arrays = dict[str, np.ndarray]


def file_digest(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file's bytes (a renamed or moved file keeps its cache entry)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(HASH_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


class FeatureCache:
    """Directory of ``<key[:2]>/<key>.npz`` files.

    The key hashes the audio content, the feature schema version and every extraction
    parameter, so a changed extractor or changed parameters never read stale arrays.

    Parameters
    ----------
    root : path-like
        Cache directory (created on first write).

    Examples
    --------
    >>> cache = FeatureCache("/tmp/genrelens-cache")               # doctest: +SKIP
    >>> arrays = cache.get_or_compute(file_digest(path), compute, schema_version="1", params={"n_mels": 96})
    ... # doctest: +SKIP
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(digest: str, *, schema_version: str, params: Mapping[str, Any]) -> str:
        """Cache key of one file's features."""
        try:
            blob = json.dumps({"digest": digest, "schema": schema_version, "params": params}, sort_keys=True)
        except TypeError as exc:
            raise InvalidParameterError(f"cache params must be JSON-able: {exc}") from exc
        return hashlib.sha256(blob.encode()).hexdigest()

    def path_for(self, key: str) -> Path:
        """Where the entry of ``key`` lives."""
        return self.root / key[:2] / f"{key}.npz"

    def load(self, key: str) -> Arrays | None:
        """Arrays stored under ``key``, or None (absent or unreadable entries are misses)."""
        p = self.path_for(key)
        if not p.is_file():
            return None
        try:
            with np.load(p, allow_pickle=False) as data:
                return {k: data[k] for k in data.files}
        except (OSError, ValueError, EOFError):
            return None

    def save(self, key: str, arrays: Mapping[str, np.ndarray]) -> None:
        """Store arrays atomically (a crash never leaves a truncated entry)."""
        p = self.path_for(key)
        p.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=p.parent, suffix=".tmp.npz")
        os.close(fd)
        try:
            np.savez(tmp, **{k: np.asarray(v) for k, v in arrays.items()})  # type: ignore[arg-type]
            os.replace(tmp, p)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    def get_or_compute(
        self,
        digest: str,
        compute: Callable[[], Mapping[str, np.ndarray]],
        *,
        schema_version: str,
        params: Mapping[str, Any],
    ) -> Arrays:
        """Cached arrays of one input, computing and storing them on a miss.

        Parameters
        ----------
        digest : str
            Names the input's content: :func:`file_digest` of an audio file, or any string that
            determines the audio (a rendered clip's genre, seed and renderer version).
        compute : callable
            ``compute() -> {name: array}``; called only on a miss.
        schema_version : str
        params : mapping
            Every parameter the arrays depend on (JSON-able).

        Returns
        -------
        dict of str to np.ndarray
        """
        key = self.key(digest, schema_version=schema_version, params=params)
        cached = self.load(key)
        if cached is not None:
            self.hits += 1
            return cached
        self.misses += 1
        arrays = {k: np.asarray(v) for k, v in compute().items()}
        self.save(key, arrays)
        return arrays
