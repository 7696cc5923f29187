"""Tests of ``genrelens genres``: the tree, one genre, JSON for both, and unknown slugs."""

from __future__ import annotations

import json

import pytest

from genrelens.cli.main import main
from genrelens.taxonomy import load_taxonomy


def test_tree_lists_every_family_and_genre(capsys: pytest.CaptureFixture[str]) -> None:
    taxonomy = load_taxonomy()
    assert main(["genres"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"GenreLens taxonomy {taxonomy.version}: 15 families")
    for genre in taxonomy.genres:
        assert f" {genre.slug} " in out
    assert "* Deep House" in out


def test_tree_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["genres", "--json"]) == 0
    tree = json.loads(capsys.readouterr().out)
    slugs = [g["slug"] for f in tree["families"] for g in f["genres"]]
    assert len(slugs) == len(load_taxonomy().genres)
    assert tree["families"][0]["slug"] == "house"


def test_one_genre_with_profile(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["genres", "deep-house"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Deep House (deep-house), family House"
    profile = load_taxonomy().genre("deep-house").profile
    assert f"bass_weight           {profile.bass_weight[0]:g}-{profile.bass_weight[1]:g}" in out
    assert "Larry Heard" in out


def test_one_genre_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["genres", "Dub Techno", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["slug"] == "dub-techno"
    assert data["profile"]["tempo_bpm"] == list(load_taxonomy().genre("dub-techno").profile.tempo_bpm)


def test_unknown_slug_exits_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["genres", "deep-hose"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert "unknown genre 'deep-hose'" in captured.err and "deep-house" in captured.err


def test_missing_taxonomy_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["genres", "--taxonomy", "/nonexistent/taxonomy.yaml"]) == 2
    assert "cannot read taxonomy file" in capsys.readouterr().err
