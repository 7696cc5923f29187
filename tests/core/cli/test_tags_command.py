"""Tests of ``genrelens tags``: text and JSON output over time, and one-line errors."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import soxr

from genrelens.backbone.reference import reference_signals
from genrelens.cli import tags


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="genrelens")
    tags.register(parser.add_subparsers())
    args = parser.parse_args(["tags", *argv])
    code: int = args.func(args)
    return code


@pytest.fixture(scope="module")
def club_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    y = soxr.resample(reference_signals()["club_loop"], 16000, 44100)
    path = tmp_path_factory.mktemp("audio") / "club.wav"
    sf.write(path, np.stack([y, 0.5 * y], axis=1), 44100)  # stereo, 44.1 kHz
    return path


def test_text_rows_over_time(club_wav: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run([str(club_wav), "--top", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "3 patches" in lines[0]
    assert [line.split()[0] for line in lines[1:4]] == ["0:00.0", "0:03.0", "0:06.0"]
    assert lines[4].split()[0] == "track"
    assert "electronic" in lines[4]
    assert lines[5].startswith("  electronic score (msd tags):")


def test_json_output(club_wav: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run([str(club_wav), "--json", "--model", "mtt", "--every", "2", "--top", "2"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["model"] == "mtt"
    assert [row["start_s"] for row in data["timeline"]] == [0.0, 2.0, 4.0, 6.0]
    assert all(len(row["tags"]) == 2 for row in data["timeline"])
    assert data["track"][0]["tag"] == "techno"
    assert 0.0 <= data["electronic_score"] <= 1.0


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"", "empty_file"), (b"%PDF-1.4 not audio" * 50, "unsupported_media_type")],
    ids=["empty", "not_audio"],
)
def test_bad_file_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, code: str
) -> None:
    path = tmp_path / "track.mp3"
    path.write_bytes(content)
    assert _run([str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("genrelens: track.mp3: ") and err.strip().endswith(f"[{code}]")


def test_too_short_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "short.wav"
    sf.write(path, np.zeros(16000 * 2, np.float32), 16000)
    assert _run([str(path)]) == 2
    assert capsys.readouterr().err.strip().endswith("[audio_too_short]")


@pytest.mark.parametrize("argv", [["--top", "0"], ["--every", "0"]], ids=["top0", "every0"])
def test_bad_options(club_wav: Path, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    assert _run([str(club_wav), *argv]) == 2
    assert capsys.readouterr().err.strip().endswith("[invalid_parameter]")
