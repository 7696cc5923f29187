from __future__ import annotations

import pytest

from genrelens.taxonomy import load_taxonomy
from genrelens.taxonomy.tempo import conventional_tempo, family_tempo_spans


@pytest.fixture(scope="module")
def spans() -> dict[str, tuple[float, float]]:
    return family_tempo_spans(load_taxonomy())


def test_spans_come_from_the_families_modelled_genres(spans: dict[str, tuple[float, float]]) -> None:
    assert spans["drum-and-bass"] == (160.0, 176.0)
    assert spans["house"] == (115.0, 130.0)
    assert spans["techno"][1] == 160.0  # hard techno's upper end


@pytest.mark.parametrize(("bpm", "family", "shown", "basis"), [
    (85.9, "drum-and-bass", 171.8, "family:drum-and-bass"),
    (77.7, "hardcore-hard-dance", 155.4, "family:hardcore-hard-dance"),
    (78.0, "techno", 156.0, "family:techno"),
    (69.2, "dubstep-bass", 138.4, "family:dubstep-bass"),
    (124.0, "house", 124.0, "measured"),
    (124.0, "drum-and-bass", 124.0, "measured"),  # neither half nor double fits: keep it
    (160.0, "downtempo", 80.0, "family:downtempo"),
    (90.0, None, 90.0, "measured"),
])
def test_the_octave_follows_the_family(spans: dict[str, tuple[float, float]], bpm: float,
                                       family: str | None, shown: float, basis: str) -> None:
    reading = conventional_tempo(bpm, family=family, spans=spans)
    assert reading.bpm == pytest.approx(shown)
    assert reading.basis == basis
