"""Tests of genrelens.library.scan: discovery, skip by content, moves, resume, spawn workers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import soundfile as sf
from signals import click_track

import genrelens.predict.pipeline
from genrelens.errors import InvalidParameterError, UnsupportedMediaError
from genrelens.library.scan import ScanIndex, ScanProgress, audio_files, clock, scan


def _library(root: Path, count: int = 3) -> list[Path]:
    paths = []
    for number in range(count):
        path = root / ("sub" if number % 2 else "") / f"t{number}.flac"
        path.parent.mkdir(parents=True, exist_ok=True)
        sf.write(path, click_track(120.0 + 6 * number, 6.0, seed=number), 22050)
        paths.append(path.resolve())
    return paths


@pytest.fixture()
def fake_analysis(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """analyze_path replaced (inline scans only): records each call, fails on 'bad' names."""
    calls: list[str] = []

    class _Result:
        def __init__(self, path: str) -> None:
            self.path = path

        def to_dict(self) -> dict[str, Any]:
            return {"source": {"name": Path(self.path).name}}

    def analyze(path: str, **_: Any) -> _Result:
        calls.append(Path(path).name)
        if "bad" in Path(path).name:
            raise UnsupportedMediaError("unsupported file type (a text file)")
        return _Result(path)

    monkeypatch.setattr(genrelens.predict.pipeline, "analyze_path", analyze)
    return calls


def test_audio_files_recurses_and_skips_other_and_hidden_files(tmp_path: Path) -> None:
    paths = _library(tmp_path)
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / ".hidden.flac").write_bytes(b"x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.mp3").write_bytes(b"x")
    (tmp_path / "LOUD.MP3").write_bytes(b"x")
    assert audio_files([tmp_path, tmp_path / "sub"]) == sorted([*paths, (tmp_path / "LOUD.MP3").resolve()])


def test_a_file_is_not_a_folder(tmp_path: Path) -> None:
    (tmp_path / "a.mp3").write_bytes(b"x")
    with pytest.raises(InvalidParameterError, match="not a directory"):
        audio_files([tmp_path / "a.mp3"])


def test_second_scan_skips_by_content_and_knows_moves(tmp_path: Path, fake_analysis: list[str]) -> None:
    paths = _library(tmp_path / "lib")
    index = ScanIndex(tmp_path / "index")
    first = scan([tmp_path / "lib"], index=index, model_version="v1", jobs=1)
    assert (first.total, first.analysed, first.skipped, first.failures) == (3, 3, 0, ())
    again = scan([tmp_path / "lib"], index=ScanIndex(tmp_path / "index"), model_version="v1", jobs=1)
    assert (again.analysed, again.skipped, again.moved) == (0, 3, 0)
    moved = paths[0].parent / "sub" / "renamed.flac"
    paths[0].rename(moved)
    shutil.copyfile(paths[1], tmp_path / "lib" / "copy.flac")
    third = scan([tmp_path / "lib"], index=ScanIndex(tmp_path / "index"), model_version="v1", jobs=1)
    assert (third.total, third.analysed, third.skipped, third.moved) == (4, 0, 4, 2)
    assert sorted(fake_analysis) == ["t0.flac", "t1.flac", "t2.flac"]
    entries = {e["result"]["source"]["name"]: e for e in ScanIndex(tmp_path / "index").entries()}
    assert str(moved.resolve()) in entries["t0.flac"]["paths"]
    assert not list((tmp_path / "index").rglob("*.tmp"))


def test_another_model_version_or_force_analyses_again(tmp_path: Path, fake_analysis: list[str]) -> None:
    _library(tmp_path / "lib", count=2)
    index = ScanIndex(tmp_path / "index")
    scan([tmp_path / "lib"], index=index, model_version="v1", jobs=1)
    assert scan([tmp_path / "lib"], index=index, model_version="v2", jobs=1).analysed == 2
    assert scan([tmp_path / "lib"], index=index, model_version="v2", jobs=1, force=True).analysed == 2
    assert scan([tmp_path / "lib"], index=index, model_version=None, jobs=1).analysed == 2
    assert len(fake_analysis) == 8


def test_same_content_twice_is_analysed_once(tmp_path: Path, fake_analysis: list[str]) -> None:
    paths = _library(tmp_path / "lib", count=1)
    shutil.copyfile(paths[0], tmp_path / "lib" / "twin.flac")
    report = scan([tmp_path / "lib"], index=ScanIndex(tmp_path / "index"), model_version="v1", jobs=1)
    assert (report.total, report.analysed, report.skipped) == (2, 1, 1)
    assert len(fake_analysis) == 1


def test_failures_are_listed_and_retried(tmp_path: Path, fake_analysis: list[str]) -> None:
    _library(tmp_path / "lib", count=1)
    (tmp_path / "lib" / "bad.mp3").write_text("not audio " * 50)
    index = ScanIndex(tmp_path / "index")
    report = scan([tmp_path / "lib"], index=index, model_version="v1", jobs=1)
    assert report.analysed == 1
    assert [(f.path.name, f.code) for f in report.failures] == [("bad.mp3", "unsupported_media_type")]
    retried = scan([tmp_path / "lib"], index=index, model_version="v1", jobs=1)
    assert [f.path.name for f in retried.failures] == ["bad.mp3"]


def test_interrupted_scan_resumes_with_the_rest(tmp_path: Path, fake_analysis: list[str]) -> None:
    _library(tmp_path / "lib", count=3)
    seen: list[ScanProgress] = []

    def stop_after_one(state: ScanProgress) -> None:
        seen.append(state)
        if state.stage == "analysing":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        scan([tmp_path / "lib"], index=ScanIndex(tmp_path / "index"), model_version="v1", jobs=1,
             progress=stop_after_one)
    assert [s.stage for s in seen] == ["hashing"] * 3 + ["analysing"]
    assert (tmp_path / "index" / "files.json").is_file()
    resumed = scan([tmp_path / "lib"], index=ScanIndex(tmp_path / "index"), model_version="v1", jobs=1)
    assert (resumed.analysed, resumed.skipped) == (2, 1)
    assert len(fake_analysis) == 3


def test_progress_counts_rate_and_eta(tmp_path: Path, fake_analysis: list[str]) -> None:
    _library(tmp_path / "lib", count=2)
    seen: list[ScanProgress] = []
    scan([tmp_path / "lib"], index=ScanIndex(tmp_path / "index"), model_version="v1", jobs=1,
         progress=seen.append)
    last = seen[-1]
    assert (last.stage, last.done, last.total, last.failed) == ("analysing", 2, 2, 0)
    assert last.rate > 0 and last.eta_s == 0


def test_broken_index_is_ignored(tmp_path: Path, fake_analysis: list[str]) -> None:
    _library(tmp_path / "lib", count=1)
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "files.json").write_text("{not json")
    report = scan([tmp_path / "lib"], index=ScanIndex(tmp_path / "index"), model_version="v1", jobs=1)
    assert report.analysed == 1


def test_progress_line() -> None:
    state = ScanProgress(stage="analysing", done=30, total=90, failed=1, elapsed_s=15.0)
    assert state.line() == "analysing 30/90  2.0 files/s  ETA 0:30  1 failed"
    start = ScanProgress(stage="hashing", done=0, total=5, failed=0, elapsed_s=0.0)
    assert start.line() == "hashing 0/5  0.0 files/s  ETA --:--"
    assert clock(3725) == "1:02:05"


@pytest.mark.slow
def test_spawned_workers_run_the_real_analysis(tmp_path: Path) -> None:
    paths = _library(tmp_path / "lib", count=3)
    index = ScanIndex(tmp_path / "index")
    report = scan([tmp_path / "lib"], index=index, model_version="v1", jobs=2)
    assert (report.analysed, report.failures) == (3, ())
    stored = {Path(e["paths"][0]): e["result"] for e in index.entries()}
    direct = json.loads(json.dumps(genrelens.predict.pipeline.analyze_path(paths[1]).to_dict()))
    assert stored[paths[1]]["genres"] == direct["genres"]
    assert stored[paths[1]]["tempo"] == direct["tempo"]
