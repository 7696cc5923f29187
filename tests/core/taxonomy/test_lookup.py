"""Tests of genrelens.taxonomy.lookup: finding a genre and the taxonomy as plain data."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from genrelens.errors import InvalidParameterError
from genrelens.taxonomy import load_taxonomy
from genrelens.taxonomy.lookup import find_genre, genre_data, taxonomy_tree


@pytest.fixture()
def small(small_data: dict[str, Any], write_taxonomy: Callable[[object], Path]) -> Any:
    small_data["genres"][0]["aliases"] = ["AH"]
    return load_taxonomy(write_taxonomy(small_data))


@pytest.mark.parametrize("query", ["alpha-house", "Alpha House", "  ALPHA house ", "ah"])
def test_find_by_slug_name_or_alias(small: Any, query: str) -> None:
    assert find_genre(small, query).slug == "alpha-house"


def test_unknown_genre_suggests_close_slugs(small: Any) -> None:
    with pytest.raises(InvalidParameterError, match="did you mean alpha-house") as info:
        find_genre(small, "alpha-hose")
    assert info.value.extra["suggestions"][0] == "alpha-house"


def test_unknown_genre_without_close_slug_points_to_the_tree(small: Any) -> None:
    with pytest.raises(InvalidParameterError, match="genrelens genres"):
        find_genre(small, "zzzzzz")


def test_empty_query_is_refused(small: Any) -> None:
    with pytest.raises(InvalidParameterError, match="empty"):
        find_genre(small, "  ")


def test_tree_groups_genres_by_family_in_order(small: Any) -> None:
    tree = taxonomy_tree(small)
    assert tree["version"] == "test"
    assert [f["slug"] for f in tree["families"]] == ["house", "techno"]
    assert [g["slug"] for g in tree["families"][0]["genres"]] == ["alpha-house", "beta-house"]
    assert tree["families"][1]["genres"][0]["tempo_bpm"] == [120.0, 128.0]


def test_genre_data_is_json_with_profile_ranges_as_lists(small: Any) -> None:
    data = genre_data(small.genre("alpha-house"))
    assert json.loads(json.dumps(data)) == data
    assert data["profile"]["bass_weight"] == [0.2, 0.5]
    assert data["releases"][0] == {"artist": "Artist One", "title": "First", "year": 1991}
    assert data["image"] == "genre_images/alpha-house.png"


def test_every_shipped_genre_is_found_by_its_name() -> None:
    taxonomy = load_taxonomy()
    assert all(find_genre(taxonomy, g.name).slug == g.slug for g in taxonomy.genres)
