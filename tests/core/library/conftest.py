"""Audio files of every tag family, made by the tests, and a hash of their audio frames only.

``audio_digest`` reads each container itself (no mutagen) and hashes what a tag writer must
leave alone: MPEG frames after the ID3v2 tag, FLAC frames after the metadata blocks, Ogg audio
pages' packets (page numbers and CRCs may change when the comment header grows), the MP4
``mdat`` payload and the WAV ``data`` chunk.
"""

from __future__ import annotations

import hashlib
import shutil
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import soundfile as sf
from signals import click_track

__all__ = ["FORMATS", "audio_digest"]

#: Suffix -> how the file is made: soundfile subtype, or the ffmpeg encoder.
FORMATS = {"mp3": "libmp3lame", "wav": "PCM_16", "flac": "PCM_16", "ogg": "VORBIS",
           "opus": "libopus", "m4a": "aac"}
SR = 44100


def _mp3(data: bytes) -> bytes:
    start = 0
    if data[:3] == b"ID3":
        size = data[6:10]
        start = 10 + (size[0] << 21 | size[1] << 14 | size[2] << 7 | size[3])
    end = len(data) - 128 if data[-128:-125] == b"TAG" else len(data)
    return data[start:end]


def _flac(data: bytes) -> bytes:
    assert data[:4] == b"fLaC"
    offset = 4
    while True:
        header = data[offset]
        length = int.from_bytes(data[offset + 1:offset + 4], "big")
        offset += 4 + length
        if header & 0x80:
            return data[offset:]


def _ogg(data: bytes) -> bytes:
    out, offset = [], 0
    while offset < len(data):
        assert data[offset:offset + 4] == b"OggS"
        granule = data[offset + 6:offset + 14]
        segments = data[offset + 26]
        lacing = data[offset + 27:offset + 27 + segments]
        body = offset + 27 + segments
        size = sum(lacing)
        if struct.unpack("<q", granule)[0] != 0:  # header pages have granule 0
            out.append(granule + data[body:body + size])
        offset = body + size
    return b"".join(out)


def _atoms(data: bytes, start: int, end: int) -> dict[bytes, bytes]:
    found, offset = {}, start
    while offset + 8 <= end:
        size, kind = struct.unpack(">I4s", data[offset:offset + 8])
        head = 8
        if size == 1:
            size, head = struct.unpack(">Q", data[offset + 8:offset + 16])[0], 16
        elif size == 0:
            size = end - offset
        found[kind] = data[offset + head:offset + size]
        offset += size
    return found


def _wav(data: bytes) -> bytes:
    offset = 12
    while offset + 8 <= len(data):
        kind, size = data[offset:offset + 4], struct.unpack("<I", data[offset + 4:offset + 8])[0]
        if kind == b"data":
            return data[offset + 8:offset + 8 + size]
        offset += 8 + size + (size & 1)
    raise AssertionError("no data chunk")


def audio_digest(path: Path) -> str:
    """SHA-256 of the file's audio frames alone (see the module docstring)."""
    data = path.read_bytes()
    suffix = path.suffix.lstrip(".")
    if suffix == "mp3":
        payload = _mp3(data)
    elif suffix == "flac":
        payload = _flac(data)
    elif suffix in ("ogg", "opus"):
        payload = _ogg(data)
    elif suffix == "m4a":
        payload = _atoms(data, 0, len(data))[b"mdat"]
    elif suffix == "wav":
        payload = _wav(data)
    else:
        raise AssertionError(suffix)
    assert len(payload) > 1000
    return hashlib.sha256(payload).hexdigest()


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
