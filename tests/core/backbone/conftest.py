"""Fixtures of the musicnn backbone tests: the seeded reference signals and the loaded models."""

from __future__ import annotations

import numpy as np
import pytest

from genrelens.backbone.embed import MusicnnBackbone, load_backbone
from genrelens.backbone.reference import reference_signals


@pytest.fixture(scope="session")
def signals() -> dict[str, np.ndarray]:
    return reference_signals()


@pytest.fixture(scope="session")
def msd() -> MusicnnBackbone:
    return load_backbone("msd")


@pytest.fixture(scope="session")
def mtt() -> MusicnnBackbone:
    return load_backbone("mtt")
