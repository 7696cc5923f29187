"""The 'why': which measured traits match or contradict a genre's profile."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from genrelens.errors import InvalidParameterError
from genrelens.features.rhythm import rhythm_fits

__all__ = ["TRAITS", "WhyItem", "why_genre"]

#: Numeric profile traits: key -> (label in text, unit, decimals).
TRAITS: dict[str, tuple[str, str, int]] = {
    "tempo_bpm": ("Tempo", " BPM", 1),
    "bass_weight": ("Bass weight", "", 2),
    "spectral_centroid_hz": ("Spectral centroid", " Hz", 0),
    "onset_rate_hz": ("Onset rate", " per second", 1),
    "spectral_flatness": ("Spectral flatness", "", 2),
    "dynamic_range_db": ("Dynamic range", " dB", 1),
}
#: Categorical profile traits compared by equality (``any`` matches everything).
CATEGORICAL = ("rhythm", "mode")


@dataclass(frozen=True)
class WhyItem:
    """One trait compared with a genre's profile (the result JSON's ``top[].why[]``)."""

    trait: str
    value: float | str
    expected: list[float] | str
    match: bool
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "trait": self.trait,
            "value": self.value,
            "expected": self.expected,
            "match": self.match,
            "text": self.text,
        }


def _fmt(value: float, unit: str, decimals: int) -> str:
    return f"{value:.{decimals}f}{unit}"


def _numeric(trait: str, value: float, lo: float, hi: float, genre_name: str) -> WhyItem:
    label, unit, dec = TRAITS[trait]
    span = f"{lo:g}-{hi:g}{unit}"
    inside = lo <= value <= hi
    where = "inside" if inside else "outside"
    text = f"{label} {_fmt(value, unit, dec)} is {where} {genre_name}'s usual {span}."
    if not inside and trait == "tempo_bpm":
        # Tempo estimates are often off by a factor of two; say so rather than call it a miss.
        for factor, word in ((2.0, "half"), (0.5, "double")):
            if lo <= value * factor <= hi:
                text = (
                    f"Tempo {_fmt(value, unit, dec)} is {word} of "
                    f"{_fmt(value * factor, unit, dec)}, inside {genre_name}'s usual {span}."
                )
                inside = True
                break
    return WhyItem(trait=trait, value=round(float(value), 4), expected=[lo, hi], match=inside, text=text)


def why_genre(
    measured: Mapping[str, float | str],
    profile: Mapping[str, Any],
    *,
    genre_name: str,
) -> list[WhyItem]:
    """Compare measured summary traits with one genre's profile.

    Parameters
    ----------
    measured : mapping
        Track-level values named like the profile keys (``tempo_bpm``, ``bass_weight``, ...,
        ``rhythm``, ``mode``). Missing traits are skipped.
    profile : mapping
        The taxonomy profile: numeric ``[lo, hi]`` ranges plus ``rhythm`` and ``mode``.
    genre_name : str
        Display name used in the sentences.

    Returns
    -------
    list of WhyItem
        Matches first, then contradictions, each in profile order.

    Examples
    --------
    >>> items = why_genre({"tempo_bpm": 128.0}, {"tempo_bpm": [120, 130]}, genre_name="tech house")
    >>> items[0].text
    "Tempo 128.0 BPM is inside tech house's usual 120-130 BPM."
    """
    items: list[WhyItem] = []
    for trait in TRAITS:
        if trait not in profile or trait not in measured:
            continue
        rng = profile[trait]
        if not isinstance(rng, (list, tuple)) or len(rng) != 2 or float(rng[0]) > float(rng[1]):
            raise InvalidParameterError(f"profile {trait} must be [lo, hi], got {rng!r}")
        value = measured[trait]
        if isinstance(value, str):
            raise InvalidParameterError(f"measured {trait} must be a number, got {value!r}")
        items.append(_numeric(trait, float(value), float(rng[0]), float(rng[1]), genre_name))
    for trait in CATEGORICAL:
        expected = profile.get(trait)
        cat_value = measured.get(trait)
        if expected is None or cat_value is None or expected == "any":
            continue
        match = (rhythm_fits(str(cat_value), str(expected)) if trait == "rhythm"
                 else str(cat_value) == str(expected))
        shown = str(cat_value).replace("_", " ")
        want = str(expected).replace("_", " ")
        text = (
            f"{trait.capitalize()} {shown} {'fits' if match else 'differs from'} "
            f"{genre_name}'s typical {want}."
        )
        items.append(
            WhyItem(trait=trait, value=str(cat_value), expected=str(expected), match=match, text=text)
        )
    return sorted(items, key=lambda item: not item.match)
