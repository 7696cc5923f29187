"""``genrelens similar``: nearest scanned tracks, the BPM and key filters, an unscanned file."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from genrelens.cli.main import main
from genrelens.library.scan import ScanIndex


def _result(bpm: float, camelot: str, embedding: list[float]) -> dict[str, Any]:
    return {"tempo": {"bpm": bpm}, "key": {"camelot": camelot},
            "genres": [{"slug": "deep-house", "probability": 0.7},
                       {"slug": "tech-house", "probability": 0.3}],
            "sound": {"models": ["msd"], "embedding": embedding}}


@pytest.fixture
def index(tmp_path: Path) -> tuple[Path, dict[str, Path]]:
    store = ScanIndex(tmp_path / "index")
    files = {}
    for name, result in {
        "seed": _result(124.0, "8A", [1.0, 0.0, 0.2]),
        "alike": _result(125.0, "9A", [0.9, 0.1, 0.2]),
        "far-tempo": _result(140.0, "8A", [0.95, 0.05, 0.2]),
        "other": _result(124.0, "3B", [0.0, 1.0, 0.2]),
    }.items():
        path = tmp_path / f"{name}.wav"
        path.write_bytes(name.encode())
        store.store(hashlib.sha256(name.encode()).hexdigest(), model_version="m", path=path,
                    result=result)
        files[name] = path
    return tmp_path / "index", files


def _names(out: str) -> list[str]:
    return [Path(t["path"]).stem for t in json.loads(out)["tracks"]]


def test_nearest_first_then_narrowed(index: tuple[Path, dict[str, Path]],
                                     capsys: pytest.CaptureFixture[str]) -> None:
    root, files = index
    base = ["similar", str(files["seed"]), "--index", str(root), "--json"]
    assert main(base) == 0
    assert _names(capsys.readouterr().out) == ["alike", "far-tempo", "other"]
    assert main([*base, "--bpm-window", "3"]) == 0
    assert _names(capsys.readouterr().out) == ["alike", "other"]
    assert main([*base, "--mixable", "-n", "1"]) == 0
    assert _names(capsys.readouterr().out) == ["alike"]


def test_text_lines(index: tuple[Path, dict[str, Path]], capsys: pytest.CaptureFixture[str]) -> None:
    root, files = index
    assert main(["similar", str(files["seed"]), "--index", str(root), "-n", "1"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.endswith(str(files["alike"])) and "125.0" in line and "9A" in line


def test_an_unscanned_file_is_one_line_and_exit_2(index: tuple[Path, dict[str, Path]],
                                                  tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    root, _ = index
    stranger = tmp_path / "new.wav"
    stranger.write_bytes(b"never scanned")
    assert main(["similar", str(stranger), "--index", str(root)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not_scanned" in err[0]
