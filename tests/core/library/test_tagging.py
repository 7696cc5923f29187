"""Tests of genrelens.library.tagging: plans, round trips per format, untouched audio frames."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import mutagen
import pytest
from conftest import FORMATS, audio_digest
from mutagen.id3 import ID3, TCON
from mutagen.mp4 import MP4

from genrelens.errors import InvalidParameterError, UnsupportedMediaError
from genrelens.library.tagging import TagValues, tag_plan, tag_write

VALUES = TagValues(genre="Deep House", bpm=123.6, key="F#m")
NAMES = {"mp3": ("TCON", "TBPM", "TKEY"), "wav": ("TCON", "TBPM", "TKEY"),
         "flac": ("GENRE", "BPM", "INITIALKEY"), "ogg": ("GENRE", "BPM", "INITIALKEY"),
         "opus": ("GENRE", "BPM", "INITIALKEY"),
         "m4a": ("\xa9gen", "tmpo", "----:com.apple.iTunes:initialkey")}


@pytest.mark.parametrize("suffix", list(FORMATS))
def test_round_trip_keeps_audio_frames(audio_copy: Callable[[str], Path], suffix: str) -> None:
    path = audio_copy(suffix)
    frames = audio_digest(path)
    plan = tag_plan(path, VALUES)
    assert [c.tag for c in plan.changes] == list(NAMES[suffix])
    assert [(c.before, c.after) for c in plan.changes] == [
        (None, "Deep House"), (None, "124"), (None, "F#m")]
    assert tag_write(plan) == 3
    again = tag_plan(path, VALUES)
    assert [c.before for c in again.changes] == ["Deep House", "124", "F#m"]
    assert again.pending == ()
    assert audio_digest(path) == frames
    assert tag_write(again) == 0


@pytest.mark.parametrize("suffix", list(FORMATS))
def test_other_players_read_what_was_written(audio_copy: Callable[[str], Path], suffix: str) -> None:
    path = audio_copy(suffix)
    tag_write(tag_plan(path, VALUES))
    if suffix == "wav":  # mutagen has no easy view of WAV's ID3 chunk
        tags = mutagen.File(path).tags
        assert [str(tags[name]) for name in NAMES["wav"]] == ["Deep House", "124", "F#m"]
        return
    easy = mutagen.File(path, easy=True)
    if suffix == "m4a":
        raw = MP4(path).tags
        assert raw is not None
        assert raw["tmpo"] == [124]
        assert bytes(raw["----:com.apple.iTunes:initialkey"][0]) == b"F#m"
    assert easy.tags["genre"] == ["Deep House"]
    assert easy.tags["bpm"] == ["124"]


@pytest.mark.parametrize("suffix", list(FORMATS))
def test_plan_alone_writes_nothing(audio_copy: Callable[[str], Path], suffix: str) -> None:
    path = audio_copy(suffix)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    plan = tag_plan(path, VALUES)
    assert len(plan.pending) == 3
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_existing_values_show_as_before_and_none_leaves_a_tag(audio_copy: Callable[[str], Path]) -> None:
    path = audio_copy("flac")
    tag_write(tag_plan(path, TagValues(genre="Techno", bpm=130.0, key="Am")))
    plan = tag_plan(path, TagValues(genre="Dub Techno", bpm=None, key=None))
    assert [(c.field, c.before, c.after, c.changed) for c in plan.changes] == [
        ("genre", "Techno", "Dub Techno", True), ("bpm", "130", "130", False),
        ("key", "Am", "Am", False)]
    assert tag_write(plan) == 1
    assert mutagen.File(path)["genre"] == ["Dub Techno"]


def test_id3v23_stays_v23(audio_copy: Callable[[str], Path]) -> None:
    path = audio_copy("mp3")
    tags = ID3()
    tags.add(TCON(encoding=1, text=["House"]))
    tags.save(path, v2_version=3)
    frames = audio_digest(path)
    plan = tag_plan(path, VALUES)
    assert plan.changes[0].before == "House"
    tag_write(plan)
    reread = ID3(path)
    assert reread.version[:2] == (2, 3)
    assert str(reread["TKEY"]) == "F#m"
    assert audio_digest(path) == frames


def test_unsupported_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not audio")
    with pytest.raises(UnsupportedMediaError, match="notes.txt"):
        tag_plan(path, VALUES)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        tag_plan(tmp_path / "gone.mp3", VALUES)


def test_bpm_must_be_positive(audio_copy: Callable[[str], Path]) -> None:
    with pytest.raises(InvalidParameterError, match="bpm"):
        tag_plan(audio_copy("flac"), TagValues(bpm=0.0))
