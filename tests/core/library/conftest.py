"""Audio files of every tag family, made by the tests (hashing helpers: tests/audio_frames.py)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import soundfile as sf
from audio_frames import FORMATS
from signals import click_track

SR = 44100


@pytest.fixture(scope="session")
def audio_sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One 4-second file per format the machine can make (ffmpeg formats skipped without it)."""
    folder = tmp_path_factory.mktemp("tag-sources")
    y = click_track(124.0, 4.0, sr=SR)
    wav = folder / "source.wav"
    sf.write(wav, y, SR, subtype="PCM_16")
    made = {}
    for suffix, codec in FORMATS.items():
        target = folder / f"source.{suffix}"
        if suffix in ("wav", "flac", "ogg"):
            sf.write(target, y, SR, subtype=codec)
        elif shutil.which("ffmpeg") is None:
            continue
        else:
            done = subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(wav), "-c:a", codec,
                                   str(target)], capture_output=True, check=False)
            if done.returncode != 0:
                continue
        made[suffix] = target
    return made


@pytest.fixture()
def audio_copy(audio_sources: dict[str, Path], tmp_path: Path) -> Callable[[str], Path]:
    """A fresh copy of the source file of one format (skips formats this machine cannot make)."""

    def copy(suffix: str) -> Path:
        if suffix not in audio_sources:
            pytest.skip(f"ffmpeg cannot make .{suffix} here")
        target = tmp_path / f"track.{suffix}"
        shutil.copyfile(audio_sources[suffix], target)
        return target

    return copy
