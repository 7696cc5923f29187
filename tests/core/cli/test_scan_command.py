"""Tests of ``genrelens scan``: summary, failures one line each, exit codes, progress line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import soundfile as sf
from signals import click_track

import genrelens.predict.pipeline
from genrelens.cli import scan as scan_cli
from genrelens.cli.main import main
from genrelens.errors import UnsupportedMediaError


@pytest.fixture()
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    class _Result:
        def to_dict(self) -> dict[str, Any]:
            return {}

    def analyze(path: str, **_: Any) -> _Result:
        if Path(path).suffix == ".mp3":
            raise UnsupportedMediaError("unsupported file type (a text file)")
        return _Result()

    monkeypatch.setattr(genrelens.predict.pipeline, "analyze_path", analyze)
    root = tmp_path / "lib"
    (root / "crate").mkdir(parents=True)
    sf.write(root / "crate" / "a.flac", click_track(124.0, 4.0), 22050)
    sf.write(root / "b.flac", click_track(128.0, 4.0, seed=1), 22050)
    return root


def test_summary_failures_and_exit_codes(library: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    index = ["--index", str(tmp_path / "index"), "-j", "1"]
    assert main(["scan", str(library), *index]) == 0
    assert ": 2 analysed" in capsys.readouterr().out
    (library / "crate" / "bad.mp3").write_text("not audio " * 50)
    assert main(["scan", str(library), *index]) == 3
    captured = capsys.readouterr()
    failures = [line for line in captured.err.splitlines() if line.startswith("genrelens: ")]
    assert failures == [f"genrelens: {(library / 'crate' / 'bad.mp3').resolve()}: "
                        "unsupported file type (a text file) [unsupported_media_type]"]
    assert "scanned 3 files" in captured.out and "2 already analysed" in captured.out
    assert "1 failed" in captured.out


def test_not_a_folder_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", str(tmp_path / "missing"), "--index", str(tmp_path / "i")]) == 2
    assert capsys.readouterr().err.strip().endswith("not a directory [invalid_parameter]")


def test_interrupt_says_how_to_resume(library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    def interrupted(*_: Any, **__: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(scan_cli, "scan", interrupted)
    assert main(["scan", str(library), "--index", str(tmp_path / "i")]) == 130
    assert "run the same command again to resume" in capsys.readouterr().err
