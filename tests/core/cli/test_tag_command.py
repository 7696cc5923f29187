"""Tests of ``genrelens tag``: dry run by default, --write, notations, one line per bad file."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import mutagen
import pytest
import soundfile as sf
from signals import click_track

from genrelens.cli.main import main
from genrelens.library.keys import key_text
from genrelens.predict.pipeline import analyze_path


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tag-cli") / "loop.flac"
    sf.write(path, click_track(124.0, 10.0, sr=22050), 22050)
    return path


@pytest.fixture()
def track(source: Path, tmp_path: Path) -> Path:
    return Path(shutil.copyfile(source, tmp_path / "loop.flac"))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_dry_run_shows_before_and_after_and_writes_nothing(
        track: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _digest(track)
    assert main(["tag", str(track)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"{track} (vorbis tags)"
    assert '  GENRE       genre     (none) would be "' in out
    assert "INITIALKEY" in out and "BPM" in out
    assert out.rstrip().endswith("pass --write to write them")
    assert _digest(track) == before


def test_write_puts_the_analysis_into_the_tags(track: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = analyze_path(track)
    assert main(["tag", str(track), "--write", "--key-notation", "camelot", "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["written"] is True and plan["format"] == "vorbis"
    tags = mutagen.File(track)
    assert result.top and tags["genre"] == [result.top[0].name]
    assert result.tempo.bpm is not None and tags["bpm"] == [str(round(result.tempo.bpm))]
    if result.key is not None:
        assert tags["initialkey"] == [key_text(result.key.tonic, result.key.mode, notation="camelot")]
    assert main(["tag", str(track), "--write", "--key-notation", "camelot"]) == 0
    assert "wrote 0 tags in 0 files" in capsys.readouterr().out


def test_bad_files_get_one_line_each_and_the_rest_go_on(
        track: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "notes.mp3"
    text.write_text("not audio at all " * 100)
    assert main(["tag", str(tmp_path / "gone.flac"), str(text), str(track)]) == 3
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2
    assert "gone.flac: no such file" in err[0] and err[1].startswith("genrelens: notes.mp3:")
    assert main(["tag", str(text)]) == 2
