"""Fixtures of the taxonomy tests: a small valid taxonomy as plain data and as a file."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

__all__: list[str] = []


def _genre(slug: str, family: str, related: list[str]) -> dict[str, Any]:
    return {
        "slug": slug,
        "name": slug.replace("-", " ").title(),
        "family": family,
        "modelled": False,
        "aliases": [],
        "description": "A test genre " * 10,
        "history": {"origin": "Testville", "years": "1990-", "text": "It began in tests."},
        "tempo_bpm": [120, 128],
        "rhythm": "four_on_the_floor",
        "sounds": ["kick", "hat", "pad"],
        "production": ["compression", "reverb"],
        "related": related,
        "artists": ["Artist One", "Artist Two"],
        "releases": [{"artist": "Artist One", "title": "First", "year": 1991}],
        "profile": {
            "tempo_bpm": [118, 130],
            "bass_weight": [0.2, 0.5],
            "spectral_centroid_hz": [1000, 2500],
            "onset_rate_hz": [2.0, 6.0],
            "spectral_flatness": [0.01, 0.1],
            "dynamic_range_db": [3, 10],
            "rhythm": "four_on_the_floor",
            "mode": "minor",
        },
    }


SMALL_TAXONOMY: dict[str, Any] = {
    "version": "test",
    "families": [
        {"slug": "house", "name": "House", "color": "#E69F00", "description": "d",
         "history": "h"},
        {"slug": "techno", "name": "Techno", "color": "#0072B2", "description": "d",
         "history": "h"},
    ],
    "genres": [
        _genre("alpha-house", "house", ["beta-house", "gamma-techno"]),
        _genre("beta-house", "house", ["alpha-house", "gamma-techno"]),
        _genre("gamma-techno", "techno", ["alpha-house", "beta-house"]),
    ],
}


@pytest.fixture()
def small_data() -> dict[str, Any]:
    """A fresh deep copy of a valid three-genre taxonomy, to break in one place."""
    return copy.deepcopy(SMALL_TAXONOMY)


@pytest.fixture()
def write_taxonomy(tmp_path: Path) -> Callable[[object], Path]:
    """Write data (or raw text) as ``taxonomy.yaml`` in a fresh folder and return its path."""
    counter = iter(range(1000))

    def write(data: object) -> Path:
        folder = tmp_path / f"data{next(counter)}"
        folder.mkdir()
        path = folder / "taxonomy.yaml"
        text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    return write
