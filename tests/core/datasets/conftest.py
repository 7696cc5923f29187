"""Fixtures for the data set loaders: tiny generated WAV files, never committed audio."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

SR = 8000


@pytest.fixture
def write_wav() -> Callable[[Path, float], Path]:
    """Write a short seeded noise burst (content differs with the frequency argument)."""

    def _write(path: Path, freq: float = 440.0) -> Path:
        rng = np.random.default_rng(440)
        t = np.arange(SR // 4) / SR
        y = 0.3 * np.sin(2 * np.pi * freq * t) + 0.01 * rng.standard_normal(t.size)
        path.parent.mkdir(parents=True, exist_ok=True)
        sf.write(path, y.astype(np.float32), SR)
        return path

    return _write
