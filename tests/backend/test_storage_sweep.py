"""The storage sweep removes what killed processes leave, and nothing live (issue 17, case 3).

Orphan stored files (web process killed between storing and committing), temporary uploads of
a killed server, and decode folders of a worker killed mid-decode: removed once untouched for
``STALE_FILE_AGE_S``; anything younger, or named by a track, stays.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from backend_helpers import upload, wav_bytes
from celery.signals import worker_ready
from django.conf import settings
from django.core.management import call_command

from catalog.models import Track
from catalog.storage import stored_path, upload_store
from catalog.sweep import DECODE_DIR_PREFIX, storage_sweep
from config.celery import app
from genrelens.audio import decode

pytestmark = pytest.mark.django_db


def _age(path: Path, hours: float) -> Path:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))
    return path


def _stored(source: Path) -> Path:
    """A stored upload (a hard link to ``source``) that no track names."""
    source.write_bytes(wav_bytes(3.5, seed=len(source.name)))
    return stored_path(upload_store(source, extension="wav"))


@pytest.fixture
def decode_dirs() -> Iterator[tuple[Path, Path]]:
    """A stale and a fresh decode folder in the system temp dir (with 1 MB of "samples")."""
    stale = Path(tempfile.mkdtemp(prefix=DECODE_DIR_PREFIX))
    fresh = Path(tempfile.mkdtemp(prefix=DECODE_DIR_PREFIX))
    for folder in (stale, fresh):
        (folder / "samples.f32").write_bytes(b"\0" * (1 << 20))
    _age(stale / "samples.f32", 7)
    _age(stale, 7)
    yield stale, fresh
    for folder in (stale, fresh):
        if folder.exists():
            for child in folder.iterdir():
                child.unlink()
            folder.rmdir()


def test_leftovers_go_and_live_files_stay(anon: Any, tmp_path: Path,
                                          decode_dirs: tuple[Path, Path]) -> None:
    assert upload(anon, wav_bytes(4.0)).status_code == 202
    kept = _age(stored_path(Track.objects.get().stored_name), 7)  # old, but a track's
    orphan = _age(_stored(tmp_path / "a.wav"), 7)
    young_orphan = _stored(tmp_path / "b.wav")  # an upload about to commit its track
    temp_dir = Path(settings.UPLOAD_TEMP_DIR)
    dead_upload, live_upload = temp_dir / "tmpdead.upload.mp3", temp_dir / "tmplive.upload.mp3"
    for path in (dead_upload, live_upload):
        path.write_bytes(b"x" * 100)
    _age(dead_upload, 7)
    stale_decode, fresh_decode = decode_dirs

    counts = storage_sweep()

    assert counts["orphans"] == 1 and counts["upload_temps"] == 1
    assert counts["decode_dirs"] >= 1  # other runs' leftovers in /tmp may go too
    assert not orphan.exists() and not stale_decode.exists()
    assert not dead_upload.exists()
    assert kept.exists() and young_orphan.exists() and live_upload.exists()
    assert fresh_decode.exists()
    live_upload.unlink()


def test_the_sweep_command_runs_it(tmp_path: Path) -> None:
    orphan = _age(_stored(tmp_path / "a.wav"), 7)
    call_command("sweep_analyses", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert not orphan.exists()


def test_beat_runs_the_storage_sweep_hourly() -> None:
    app.loader.import_default_modules()  # what a worker does at start: autodiscovery
    entry = settings.CELERY_BEAT_SCHEDULE["storage-sweep"]
    assert entry["task"] in app.tasks and entry["schedule"] == 3600.0


def test_a_starting_worker_sweeps_its_host(tmp_path: Path) -> None:
    app.loader.import_default_modules()
    orphan = _age(_stored(tmp_path / "a.wav"), 7)
    worker_ready.send(sender=None)
    assert not orphan.exists()


def test_the_decode_folder_prefix_is_the_decoders(monkeypatch: Any, tmp_path: Path) -> None:
    prefixes: list[str] = []
    real = tempfile.TemporaryDirectory

    def spy(*args: Any, **kwargs: Any) -> Any:
        prefixes.append(kwargs.get("prefix", ""))
        return real(*args, **kwargs)

    monkeypatch.setattr(decode.tempfile, "TemporaryDirectory", spy)
    path = tmp_path / "x.wav"
    path.write_bytes(wav_bytes(3.5))
    decode.load_audio(path)
    assert prefixes == [DECODE_DIR_PREFIX]
