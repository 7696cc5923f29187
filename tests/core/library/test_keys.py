"""Tests of genrelens.library.keys: the three key notations and their refusals."""

from __future__ import annotations

import pytest

from genrelens.errors import InvalidParameterError
from genrelens.features.tonal import PITCH_CLASSES
from genrelens.library.keys import key_text


@pytest.mark.parametrize(("tonic", "mode", "standard", "camelot", "open_key"), [
    ("A", "minor", "Am", "8A", "1m"),
    ("C", "major", "C", "8B", "1d"),
    ("F#", "minor", "F#m", "11A", "4m"),
    ("Eb", "minor", "Ebm", "2A", "7m"),
    ("B", "major", "B", "1B", "6d"),
    ("Bb", "major", "Bb", "6B", "11d"),
])
def test_notations(tonic: str, mode: str, standard: str, camelot: str, open_key: str) -> None:
    assert key_text(tonic, mode) == standard
    assert key_text(tonic, mode, notation="camelot") == camelot
    assert key_text(tonic, mode, notation="open-key") == open_key


def test_open_key_numbers_each_key_once() -> None:
    codes = {key_text(t, m, notation="open-key") for t in PITCH_CLASSES for m in ("major", "minor")}
    assert len(codes) == 24


def test_relative_keys_share_the_number() -> None:
    major, minor = key_text("C", "major", notation="open-key"), key_text("A", "minor", notation="open-key")
    assert major[:-1] == minor[:-1]


@pytest.mark.parametrize(("tonic", "mode", "notation"), [
    ("H", "minor", "standard"), ("A", "dorian", "standard"), ("A", "minor", "lancelot"),
])
def test_bad_key_or_notation(tonic: str, mode: str, notation: str) -> None:
    with pytest.raises(InvalidParameterError):
        key_text(tonic, mode, notation=notation)  # type: ignore[arg-type]
