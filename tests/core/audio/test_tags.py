"""read_tags: a file's own tags, parsed in a memory-capped child; never an error."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from mutagen.id3 import APIC, TALB, TDRC, TIT2, TPE1
from mutagen.wave import WAVE

from genrelens.audio.tags import FileTags, read_tags


def _tagged_wav(path: Path, *, cover_bytes: int = 0) -> Path:
    sf.write(path, np.zeros(8000, dtype=np.float32), 8000)
    audio = WAVE(path)
    audio.add_tags()
    assert audio.tags is not None
    audio.tags.add(TIT2(encoding=3, text="Night Drive\x00\x07"))
    audio.tags.add(TPE1(encoding=3, text="Kerri Chandler"))
    audio.tags.add(TALB(encoding=3, text="A" * 2000))
    audio.tags.add(TDRC(encoding=3, text="1998-04-01"))
    if cover_bytes:
        audio.tags.add(APIC(encoding=3, mime="image/png", type=3, desc="cover",
                            data=b"\x89PNG" + bytes(cover_bytes)))
    audio.save()
    return path


def test_tags_are_read_trimmed_and_printable(tmp_path: Path) -> None:
    # A WAVE file's ID3 chunk has no "easy" view: read by its frames.
    tags = read_tags(_tagged_wav(tmp_path / "t.wav"))
    assert tags.title == "Night Drive" and tags.artist == "Kerri Chandler"
    assert tags.year == 1998 and len(tags.album) == 512


def test_a_cover_too_large_for_the_child_gives_empty_tags_not_an_error(tmp_path: Path) -> None:
    # The child's memory cap is what stops a huge embedded picture; the caller never holds it.
    path = _tagged_wav(tmp_path / "big.wav", cover_bytes=120 * 1024**2)
    assert read_tags(path, memory_limit=160 * 1024**2) == FileTags()


@pytest.mark.parametrize("content", [b"", b"not audio at all", b"ID3\x04\x00\x00\xff\xff\xff\xff"])
def test_unreadable_files_have_empty_tags(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.mp3"
    path.write_bytes(content)
    assert read_tags(path) == FileTags()


def test_a_stalled_reader_is_stopped(tmp_path: Path) -> None:
    assert read_tags(_tagged_wav(tmp_path / "t.wav"), timeout_s=0.001) == FileTags()
