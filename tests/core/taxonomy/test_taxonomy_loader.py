"""Tests of genrelens.taxonomy.loader and schema on small, deliberately broken files."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from genrelens.errors import InvalidParameterError, TaxonomyError
from genrelens.taxonomy.loader import (
    DATA_DIR_ENV,
    default_image_dir,
    default_taxonomy_path,
    load_taxonomy,
    parse_taxonomy,
)

Writer = Callable[[object], Path]


def test_small_taxonomy_loads(small_data: dict[str, Any], write_taxonomy: Writer) -> None:
    tax = load_taxonomy(write_taxonomy(small_data))
    assert tax.version == "test"
    assert [f.slug for f in tax.families] == ["house", "techno"]
    genre = tax.genre("gamma-techno")
    assert genre.family == "techno"
    assert genre.tempo_bpm == (120.0, 128.0)
    assert genre.profile.ranges()["bass_weight"] == (0.2, 0.5)
    assert genre.releases[0].year == 1991
    assert genre.history.start_year == 1990
    assert genre.image == "genre_images/gamma-techno.png"
    assert tax.family("house").color == "#e69f00"
    assert {k: [g.slug for g in v] for k, v in tax.by_family().items()} == {
        "house": ["alpha-house", "beta-house"],
        "techno": ["gamma-techno"],
    }


def test_modelled_order_is_family_then_slug(small_data: dict[str, Any]) -> None:
    for genre in small_data["genres"]:
        genre["modelled"] = True
    small_data["genres"].reverse()
    tax = parse_taxonomy(small_data)
    assert [g.slug for g in tax.modelled()] == ["alpha-house", "beta-house", "gamma-techno"]


def test_unknown_slugs_raise(small_data: dict[str, Any]) -> None:
    tax = parse_taxonomy(small_data)
    with pytest.raises(InvalidParameterError, match="nope"):
        tax.genre("nope")
    with pytest.raises(InvalidParameterError, match="nada"):
        tax.family("nada")
    assert tax.has_genre("alpha-house") and not tax.has_genre("nope")


def test_small_taxonomy_breaks_the_contract(small_data: dict[str, Any]) -> None:
    with pytest.raises(TaxonomyError, match="families must be"):
        parse_taxonomy(small_data).check_contract()


def test_cache_returns_same_object_until_file_changes(
    small_data: dict[str, Any], write_taxonomy: Writer
) -> None:
    path = write_taxonomy(small_data)
    first = load_taxonomy(path)
    assert load_taxonomy(str(path)) is first
    path.write_text(path.read_text().replace("version: test", "version: edited"))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert load_taxonomy(path).version == "edited"


def test_env_overrides_data_dir(
    small_data: dict[str, Any], write_taxonomy: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_taxonomy(small_data)
    monkeypatch.setenv(DATA_DIR_ENV, str(path.parent))
    assert default_taxonomy_path() == path
    assert default_image_dir() == path.parent / "genre_images"
    assert load_taxonomy().version == "test"


def test_default_path_is_repo_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    repo = Path(__file__).resolve().parents[3]
    assert default_taxonomy_path() == repo / "data" / "taxonomy.yaml"


def _set(data: dict[str, Any], dotted: str, value: Any) -> None:
    """Set ``genres[0].history.years``-style paths; ``value is DELETE`` removes the key."""
    target: Any = data
    parts = dotted.replace("[", ".").replace("]", "").split(".")
    for part in parts[:-1]:
        target = target[int(part)] if part.isdigit() else target[part]
    last = parts[-1]
    key: Any = int(last) if last.isdigit() else last
    if value is DELETE:
        del target[key]
    else:
        target[key] = value


DELETE = object()

# (path to change, new value, text the error must contain besides the slug)
BROKEN_GENRE_CASES = [
    ("genres.0.description", DELETE, "description"),
    ("genres.0.description", "   ", "description"),
    ("genres.0.sounds", [], "sounds"),
    ("genres.0.tempo_bpm", [128, 120], "tempo_bpm"),
    ("genres.0.tempo_bpm", [20, 120], "tempo_bpm"),
    ("genres.0.tempo_bpm", [120, 400], "tempo_bpm"),
    ("genres.0.tempo_bpm", [120], "tempo_bpm"),
    ("genres.0.rhythm", "waltz", "rhythm"),
    ("genres.0.modelled", "yes", "modelled"),
    ("genres.0.related", ["beta-house", "no-such-genre"], "no-such-genre"),
    ("genres.0.related", ["alpha-house", "beta-house"], "itself"),
    ("genres.0.family", "polka", "polka"),
    ("genres.0.history.years", 1990, "years"),
    ("genres.0.history.years", "199x", "years"),
    ("genres.0.history.years", "1995-1990", "years"),
    ("genres.0.releases", [], "releases"),
    ("genres.0.releases.0.year", "1991", "year"),
    ("genres.0.profile.bass_weight", [0.5, 1.5], "bass_weight"),
    ("genres.0.profile.mode", "dorian", "mode"),
    ("genres.0.profile.rhythm", "breakbeat", "rhythm"),
    ("genres.0.profile.tempo_bpm", [160, 170], "tempo_bpm"),
    ("genres.0.profile.spectral_flatness", DELETE, "spectral_flatness"),
    ("genres.0.colour", "red", "colour"),
]


@pytest.mark.parametrize(("dotted", "value", "text"), BROKEN_GENRE_CASES)
def test_broken_genre_names_slug_and_field(
    small_data: dict[str, Any], write_taxonomy: Writer, dotted: str, value: Any, text: str
) -> None:
    _set(small_data, dotted, value)
    path = write_taxonomy(small_data)
    with pytest.raises(TaxonomyError) as info:
        load_taxonomy(path)
    message = str(info.value)
    assert "alpha-house" in message
    assert text in message
    assert str(path.resolve()) in message
    assert info.value.code == "taxonomy_invalid"


def test_duplicate_slug(small_data: dict[str, Any], write_taxonomy: Writer) -> None:
    small_data["genres"][1]["slug"] = "alpha-house"
    small_data["genres"][1]["related"] = ["gamma-techno", "beta-house"]
    with pytest.raises(TaxonomyError, match="'alpha-house': slug used twice"):
        load_taxonomy(write_taxonomy(small_data))


def test_bad_slug_format(small_data: dict[str, Any]) -> None:
    small_data["genres"][0]["slug"] = "Alpha House"
    with pytest.raises(TaxonomyError, match="Alpha House"):
        parse_taxonomy(small_data)


def test_bad_family_colour(small_data: dict[str, Any]) -> None:
    small_data["families"][1]["color"] = "blue"
    with pytest.raises(TaxonomyError, match="'techno'.*color"):
        parse_taxonomy(small_data)


@pytest.mark.parametrize(
    "text",
    ["genres: [unclosed", "- just\n- a list\n", "version: 1\nfamilies: []\ngenres: []\n", ""],
)
def test_malformed_file(write_taxonomy: Writer, text: str) -> None:
    with pytest.raises(TaxonomyError):
        load_taxonomy(write_taxonomy(text))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match="cannot read"):
        load_taxonomy(tmp_path / "absent.yaml")


def test_duplicate_yaml_key(small_data: dict[str, Any], write_taxonomy: Writer) -> None:
    path = write_taxonomy(small_data)
    text = path.read_text()
    path.write_text(text.replace("  modelled: false\n", "  modelled: false\n  modelled: true\n", 1))
    with pytest.raises(TaxonomyError, match="duplicate key 'modelled'"):
        load_taxonomy(path)
