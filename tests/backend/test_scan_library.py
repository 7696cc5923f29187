"""``manage.py scan_library``: the core scan's results land in the library the page shows."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from backend_helpers import sample_result, wav_bytes
from django.core.management import CommandError, call_command

import genrelens.predict.pipeline
from analyses.jobs import analysis_run
from analyses.management.commands import scan_library
from analyses.models import Analysis
from catalog.models import Track
from genrelens.errors import UnsupportedMediaError

pytestmark = pytest.mark.django_db


@pytest.fixture
def folder(tmp_path: Path, taxonomy: Any, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two WAVs and an analysis replaced by fixed results (the pipeline is tested elsewhere)."""
    results = {"a.wav": sample_result([("deep-house", "Deep House", "house", 0.8)], bpm=122.0),
               "b.wav": sample_result([("dub-techno", "Dub Techno", "techno", 0.6)], bpm=118.0)}

    class _Result:
        def __init__(self, name: str) -> None:
            self.name = name

        def to_dict(self) -> dict[str, Any]:
            return results[self.name]

    def analyze(path: str, **_: Any) -> _Result:
        if Path(path).name not in results:
            raise UnsupportedMediaError("unsupported file type (a text file)")
        return _Result(Path(path).name)

    monkeypatch.setattr(genrelens.predict.pipeline, "analyze_path", analyze)
    root = tmp_path / "music"
    (root / "crate").mkdir(parents=True)
    (root / "a.wav").write_bytes(wav_bytes(3.5, seed=1))
    (root / "crate" / "b.wav").write_bytes(wav_bytes(3.5, seed=2))
    (root / "a.wav").chmod(0o644)
    return root


def _scan(folder: Path, tmp_path: Path) -> str:
    out = io.StringIO()
    call_command("scan_library", str(folder), jobs=1, index=tmp_path / "index", stdout=out,
                 stderr=io.StringIO())
    return out.getvalue()


def test_scanned_files_become_library_tracks(anon: Any, folder: Path, tmp_path: Path) -> None:
    assert "2 new in the library" in _scan(folder, tmp_path)
    body = anon.get("/api/tracks/?ordering=bpm").json()
    assert [(t["title"], t["bpm"], t["top_genre"]["slug"]) for t in body["results"]] == [
        ("b", 118.0, "dub-techno"), ("a", 122.0, "deep-house")]
    assert anon.get("/api/genres/deep-house/").json()["tracks"][0]["title"] == "a"
    # The library's own file is copied, not linked, and keeps its permissions.
    stat = os.stat(folder / "a.wav")
    assert stat.st_nlink == 1 and stat.st_mode & 0o777 == 0o644


def test_scanning_again_adds_nothing(folder: Path, tmp_path: Path) -> None:
    _scan(folder, tmp_path)
    out = _scan(folder, tmp_path)
    assert "2 already analysed; 0 new in the library, 2 already there" in out
    assert Track.objects.count() == 2


def test_failures_are_listed_and_fail_the_command(folder: Path, tmp_path: Path) -> None:
    (folder / "notes.mp3").write_text("not audio " * 50)
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 files failed"):
        call_command("scan_library", str(folder), jobs=1, index=tmp_path / "index",
                     stdout=io.StringIO(), stderr=err)
    assert "notes.mp3: unsupported file type (a text file) [unsupported_media_type]" in err.getvalue()
    assert Track.objects.count() == 2


def test_not_a_folder(tmp_path: Path, taxonomy: Any) -> None:
    with pytest.raises(CommandError, match="not a directory"):
        call_command("scan_library", str(tmp_path / "nope"), index=tmp_path / "i")


@pytest.fixture
def queue_folder(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``folder`` plus a text file, each job's analysis a fixed result whatever the stored name."""
    result = sample_result([("deep-house", "Deep House", "house", 0.8)], bpm=122.0)

    class _Result:
        def to_dict(self) -> dict[str, Any]:
            return result

    monkeypatch.setattr(genrelens.predict.pipeline, "analyze_path", lambda *a, **k: _Result())
    (folder / "notes.mp3").write_text("not audio " * 50)
    return folder


def test_queue_fans_out_as_jobs_and_follows_them(queue_folder: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # The "workers": each wait of the command runs the queued jobs, as Celery workers would.
    def work(_seconds: float) -> None:
        for pk in Analysis.objects.filter(status="queued").values_list("pk", flat=True):
            analysis_run(pk)

    # The command's own clock only: patching time.sleep itself also ran the jobs from the
    # decoder's polls while the files were being queued, whenever a busy machine made it poll.
    monkeypatch.setattr(scan_library, "time", SimpleNamespace(sleep=work, monotonic=time.monotonic))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 files failed"):
        call_command("scan_library", str(queue_folder), queue=True, stdout=out, stderr=err)
    assert "queued 2 files, 0 already analysed or queued, 1 refused" in out.getvalue()
    assert "analysed 2 contents, 0 failed" in out.getvalue()
    assert "notes.mp3: unsupported file type" in err.getvalue()
    assert "analysing 2/2" in err.getvalue()
    assert sorted(Analysis.objects.values_list("status", flat=True)) == ["succeeded", "succeeded"]
    assert Track.objects.count() == 2


def test_queue_again_reuses_what_is_queued_or_analysed(queue_folder: Path) -> None:
    (queue_folder / "notes.mp3").unlink()
    first = io.StringIO()
    call_command("scan_library", str(queue_folder), queue=True, no_wait=True, stdout=first,
                 stderr=io.StringIO())
    assert "queued 2 files, 0 already analysed or queued" in first.getvalue()
    again = io.StringIO()
    call_command("scan_library", str(queue_folder), queue=True, no_wait=True, stdout=again,
                 stderr=io.StringIO())
    assert "queued 0 files, 2 already analysed or queued" in again.getvalue()
    assert Analysis.objects.filter(status="queued").count() == 2
