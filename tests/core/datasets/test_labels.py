"""Label resolution and mapping files."""

from __future__ import annotations

from pathlib import Path

import pytest

from genrelens.datasets.labels import LabelResolver, load_label_mapping, normalise_label
from genrelens.errors import DatasetError, UnknownLabelError

KNOWN = {"tech-house", "drum-and-bass-liquid", "liquid-dnb", "dubstep"}


def test_normalise_label_ignores_case_space_and_ampersand() -> None:
    assert normalise_label("  Tech House ") == "tech-house"
    assert normalise_label("Drum & Bass") == "drum-and-bass"
    assert normalise_label("tech_house") == "tech-house"


def test_known_labels_resolve_case_insensitively() -> None:
    r = LabelResolver(known=KNOWN)
    assert r.resolve("Tech House") == "tech-house"


def test_unknown_label_raises_with_its_name() -> None:
    r = LabelResolver(known=KNOWN)
    with pytest.raises(UnknownLabelError, match="Polka"):
        r.resolve("Polka")


def test_resolve_all_lists_every_unknown_label_with_counts() -> None:
    r = LabelResolver(known=KNOWN)
    with pytest.raises(UnknownLabelError) as info:
        r.resolve_all(["Polka", "dubstep", "Polka", "Rock"], source="crates")
    assert "'Polka' (2)" in info.value.message
    assert "'Rock' (1)" in info.value.message
    assert "--label-map" in info.value.message
    assert info.value.extra["labels"] == ["Polka", "Rock"]
    assert info.value.code == "unknown_label"


def test_aliases_resolve() -> None:
    r = LabelResolver(known=KNOWN, aliases={"Liquid Funk": "liquid-dnb"})
    assert r.resolve("liquid funk") == "liquid-dnb"


def test_yaml_mapping_maps_and_skips(tmp_path: Path) -> None:
    f = tmp_path / "map.yaml"
    f.write_text("Jungle Stuff: liquid-dnb\nRock: null\nPop: skip\n", encoding="utf-8")
    mapping = load_label_mapping(f)
    r = LabelResolver(known=KNOWN, mapping=mapping)
    assert r.resolve("jungle stuff") == "liquid-dnb"
    assert r.resolve("Rock") is None
    assert r.resolve("Pop") is None


def test_csv_mapping_with_header(tmp_path: Path) -> None:
    f = tmp_path / "map.csv"
    f.write_text("label,genre\nMy Wobble,dubstep\n", encoding="utf-8")
    r = LabelResolver(known=KNOWN, mapping=load_label_mapping(f))
    assert r.resolve("my wobble") == "dubstep"


def test_mapping_to_an_unmodelled_genre_is_rejected(tmp_path: Path) -> None:
    f = tmp_path / "map.yaml"
    f.write_text("Mine: polka\n", encoding="utf-8")
    with pytest.raises(UnknownLabelError, match="polka"):
        LabelResolver(known=KNOWN, mapping=load_label_mapping(f))


def test_conflicting_mapping_is_rejected(tmp_path: Path) -> None:
    f = tmp_path / "map.csv"
    f.write_text("A,dubstep\na,tech-house\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="mapped to both"):
        load_label_mapping(f)


def test_mapping_file_missing_or_wrong_type(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="not found"):
        load_label_mapping(tmp_path / "nope.yaml")
    bad = tmp_path / "map.txt"
    bad.write_text("x", encoding="utf-8")
    with pytest.raises(DatasetError, match="yaml"):
        load_label_mapping(bad)
    lst = tmp_path / "list.yaml"
    lst.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="dict"):
        load_label_mapping(lst)


def test_own_labels_mode_keeps_user_names() -> None:
    r = LabelResolver(known=None)
    assert r.resolve("  Sunday Morning Crate ") == "Sunday Morning Crate"
