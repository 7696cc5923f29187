"""``genrelens label``: labels kept by content, confirmations, crates, and what the labels say."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from genrelens.cli.main import main
from genrelens.library.scan import ScanIndex

# Two clear clusters in musicnn's embedding; the shipped model calls every track deep house.
SOUNDS = {
    "warm-1": [1.0, 0.1, 0.0], "warm-2": [0.9, 0.2, 0.1], "warm-3": [0.95, 0.0, 0.1],
    "dark-1": [0.0, 1.0, 0.1], "dark-2": [0.1, 0.9, 0.0], "dark-3": [0.05, 1.0, 0.2],
}


def _result(embedding: list[float]) -> dict[str, Any]:
    return {"genres": [{"slug": "deep-house", "probability": 0.6},
                       {"slug": "detroit-techno", "probability": 0.4}],
            "sound": {"models": ["msd"], "embedding": embedding}}


@pytest.fixture
def library(tmp_path: Path) -> tuple[Path, dict[str, Path]]:
    store = ScanIndex(tmp_path / "index")
    files = {}
    for name, embedding in SOUNDS.items():
        path = tmp_path / "music" / f"{name}.wav"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(name.encode())
        store.store(hashlib.sha256(name.encode()).hexdigest(), model_version="m", path=path,
                    result=_result(embedding))
        files[name] = path
    return tmp_path / "index", files


def _json(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def test_labels_rerank_an_unlabelled_track(library: tuple[Path, dict[str, Path]],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    root, files = library
    index = ["--index", str(root), "--json"]
    assert main(["label", str(files["warm-1"]), str(files["warm-2"]), "--confirm", *index]) == 0
    assert _json(capsys)["changed"] == 2
    assert main(["label", str(files["dark-1"]), str(files["dark-2"]), "--genre", "Detroit Techno",
                 *index]) == 0
    out = _json(capsys)
    assert out["layer"]["labels"] == 4 and out["layer"]["genres"] == 2
    # Leave-one-out: each labelled track is ranked by the other three; the shipped model's
    # constant "deep house" is right on the two confirmations only.
    assert out["layer"]["accuracy"] == 1.0 and out["layer"]["shipped_accuracy"] == 0.5
    assert main(["label", str(files["dark-3"]), str(files["warm-3"]), *index]) == 0
    rows = {Path(r["path"]).stem: r for r in _json(capsys)["tracks"]}
    assert rows["dark-3"]["shipped"] == "deep-house" and rows["dark-3"]["label"] is None
    assert rows["dark-3"]["your_labels_say"][0]["slug"] == "detroit-techno"
    assert rows["warm-3"]["your_labels_say"][0]["slug"] == "deep-house"


def test_a_label_follows_the_content_and_clears(library: tuple[Path, dict[str, Path]],
                                                tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    root, files = library
    index = ["--index", str(root), "--json"]
    assert main(["label", str(files["warm-1"]), "--genre", "minimal-techno", *index]) == 0
    capsys.readouterr()
    moved = tmp_path / "elsewhere.wav"
    shutil.copy(files["warm-1"], moved)
    assert main(["label", str(moved), *index]) == 0
    assert _json(capsys)["tracks"][-1]["label"] == "minimal-techno"
    assert main(["label", str(moved), "--clear", *index]) == 0
    capsys.readouterr()
    assert main(["label", "--list", *index]) == 0
    assert _json(capsys)["tracks"] == []


def test_crates_label_their_scanned_files(library: tuple[Path, dict[str, Path]], tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    root, files = library
    crates = tmp_path / "crates"
    for crate, names in {"Deep House": ["warm-1", "warm-2"], "detroit-techno": ["dark-1"],
                         "not a genre at all": ["dark-2"]}.items():
        (crates / crate).mkdir(parents=True)
        for name in names:
            shutil.copy(files[name], crates / crate / f"{name}.wav")
    (crates / "detroit-techno" / "unknown.wav").write_bytes(b"never scanned")
    assert main(["label", "--crates", str(crates), "--index", str(root), "--json"]) == 3
    captured = capsys.readouterr()
    assert json.loads(captured.out)["changed"] == 3
    problems = captured.err.strip().splitlines()
    assert len(problems) == 2
    assert any("unknown genre" in line for line in problems)
    assert any("unknown.wav" in line and "not_scanned" in line for line in problems)
    assert main(["label", "--list", "--index", str(root), "--json"]) == 0
    listed = {Path(r["path"]).stem: r["label"] for r in _json(capsys)["tracks"]}
    assert listed == {"warm-1": "deep-house", "warm-2": "deep-house", "dark-1": "detroit-techno"}


def test_bad_input_is_one_line(library: tuple[Path, dict[str, Path]], tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    root, files = library
    stranger = tmp_path / "new.wav"
    stranger.write_bytes(b"never scanned")
    assert main(["label", str(stranger), "--genre", "detroit-techno", "--index", str(root)]) == 2
    assert "not_scanned" in capsys.readouterr().err
    assert main(["label", str(files["warm-1"]), str(stranger), "--genre", "detroit-techno",
                 "--index", str(root)]) == 3
    capsys.readouterr()
    assert main(["label", str(files["warm-1"]), "--genre", "no-such-genre-xyz",
                 "--index", str(root)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "invalid_parameter" in err[0]
    assert main(["label", "--index", str(root)]) == 2


def test_text_view_names_the_layer(library: tuple[Path, dict[str, Path]],
                                   capsys: pytest.CaptureFixture[str]) -> None:
    root, files = library
    assert main(["label", str(files["warm-1"]), "--confirm", "--index", str(root)]) == 0
    out = capsys.readouterr().out
    assert "1 file changed." in out and "label a second genre" not in out
    assert "label tracks of a second genre" in out
