from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile as sf

from genrelens.audio.sniff import describe_non_audio, sniff_format


def _encoded(fmt: str, **kwargs: str) -> bytes:
    buffer = io.BytesIO()
    y = np.zeros(22050, dtype=np.float32)
    sf.write(buffer, y, 22050 if fmt != "OGG" or "subtype" not in kwargs else 48000,
             format=fmt, **kwargs)
    return buffer.getvalue()[:4096]


@pytest.mark.parametrize(
    ("fmt", "kwargs", "expected"),
    [("WAV", {}, "wav"), ("FLAC", {}, "flac"), ("OGG", {}, "ogg"),
     ("OGG", {"subtype": "OPUS"}, "opus"), ("MP3", {}, "mp3"), ("AIFF", {}, "aiff")],
)
def test_real_containers_are_recognised(fmt: str, kwargs: dict[str, str], expected: str) -> None:
    assert sniff_format(_encoded(fmt, **kwargs)) == expected


@pytest.mark.parametrize(
    ("head", "description"),
    [(b"\x89PNG\r\n\x1a\n" + bytes(100), "a PNG image"), (b"PK\x03\x04" + bytes(50), "a ZIP archive"),
     (b"%PDF-1.7\n", "a PDF document"), (b"\x7fELF\x02\x01", "an executable"),
     (b"<html><body>hi</body></html>", "a text file"), (b"<svg xmlns='x'/>", "a text file")],
)
def test_non_audio_is_refused_and_described(head: bytes, description: str) -> None:
    assert sniff_format(head) is None
    assert describe_non_audio(head) == description


def test_random_bytes_are_not_audio() -> None:
    rng = np.random.default_rng(3)
    misses = [sniff_format(rng.integers(0, 256, 4096, dtype=np.uint8).tobytes()) for _ in range(50)]
    assert misses.count(None) >= 45


def test_m4a_brand_is_recognised() -> None:
    assert sniff_format(b"\x00\x00\x00\x20ftypM4A \x00\x00\x02\x00") == "m4a"
