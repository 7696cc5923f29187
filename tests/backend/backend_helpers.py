"""Helpers of the backend tests: generated audio and images, a tiny taxonomy, result JSON.

Audio is generated from seeded RNGs; nothing is committed.
"""

from __future__ import annotations

import io
import struct
import zlib
from typing import Any

import numpy as np
import soundfile as sf
from rest_framework.test import APIClient

__all__ = ["SR", "TINY_TAXONOMY", "beat_track", "png_bytes", "sample_result", "upload",
           "upload_raw", "wav_bytes"]

SR = 22050
TINY_TAXONOMY = """\
version: "1"
families:
  - {slug: house, name: House, color: "#E69F00", description: Four on the floor., history: Chicago.}
  - {slug: techno, name: Techno, color: "#0072B2", description: Machines., history: Detroit.}
genres:
  - slug: deep-house
    name: Deep House
    family: house
    modelled: true
    description: Warm and soulful.
    tempo_bpm: [118, 125]
    rhythm: four_on_the_floor
    related: [tech-house, dub-techno, no-such-genre]
  - slug: tech-house
    name: Tech House
    family: house
    modelled: true
    description: Percussive.
    tempo_bpm: [122, 128]
    rhythm: four_on_the_floor
    related: [deep-house]
  - slug: dub-techno
    name: Dub Techno
    family: techno
    modelled: true
    description: Echoes.
    tempo_bpm: [115, 125]
    rhythm: four_on_the_floor
    related: [deep-house]
"""


def beat_track(seconds: float, *, bpm: float = 128.0, sr: int = SR, seed: int = 440) -> np.ndarray:
    """A kick on every beat over quiet noise and a bass tone [shape=(n,), float32]."""
    rng = np.random.default_rng(seed)
    n = int(seconds * sr)
    t = np.arange(n) / sr
    signal = 0.05 * rng.standard_normal(n) + 0.2 * np.sin(2 * np.pi * 55.0 * t)
    kick_len = int(0.12 * sr)
    kick_t = np.arange(kick_len) / sr
    kick = np.sin(2 * np.pi * (50 + 100 * np.exp(-kick_t * 30)) * kick_t) * np.exp(-kick_t * 25)
    step = int(round(60.0 / bpm * sr))
    for start in range(0, n - kick_len, step):
        signal[start:start + kick_len] += 0.8 * kick
    return (0.5 * signal / np.max(np.abs(signal))).astype(np.float32)


def wav_bytes(seconds: float, *, bpm: float = 128.0, seed: int = 440) -> bytes:
    """A 16-bit mono WAV of ``beat_track``."""
    buffer = io.BytesIO()
    sf.write(buffer, beat_track(seconds, bpm=bpm, seed=seed), SR, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


def png_bytes() -> bytes:
    """A valid 1x1 PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(
        b"IEND", b"")


def upload(api: APIClient, data: bytes, *, name: str = "track.wav", field: str = "file",
           content_type: str = "audio/wav", **extra: Any) -> Any:
    """POST one file to /api/analyses/."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile(name, data, content_type=content_type)
    return api.post("/api/analyses/", {field: file, **extra}, format="multipart")


def upload_raw(api: APIClient, data: bytes, *, filename: str) -> Any:
    """POST one file with a raw multipart body, so any file name (``.``, NUL...) is sent as is."""
    boundary = "genrelens-test-boundary"
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{filename}"\r\nContent-Type: audio/mpeg\r\n\r\n').encode()
    body = head + data + f"\r\n--{boundary}--\r\n".encode()
    return api.generic("POST", "/api/analyses/", body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def sample_result(genres: list[tuple[str, str, str, float]], *, bpm: float = 124.0,
                  camelot: str = "8A", key: str = "A minor") -> dict[str, Any]:
    """A result JSON of docs/architecture.md's shape with the given genre probabilities.

    Used to exercise the library's selectors with chosen numbers; the pipeline itself is
    tested end to end elsewhere.
    """
    families: dict[str, float] = {}
    for _, _, family, p in genres:
        families[family] = families.get(family, 0.0) + p
    ranked = sorted(genres, key=lambda g: -g[3])
    return {
        "schema_version": "1",
        "source": {"name": "x.wav", "format": "wav", "sample_rate": SR, "channels": 1,
                   "declared_duration_s": 10.0, "duration_analyzed_s": 10.0, "truncated": False},
        "tempo": {"bpm": bpm, "confidence": 0.9, "alternatives": [], "stable": True,
                  "beats_analyzed": 20},
        "key": {"tonic": key.split()[0], "mode": key.split()[1], "name": key,
                "camelot": camelot, "confidence": 0.5},
        "genres": [{"slug": s, "name": n, "family": f, "probability": p} for s, n, f, p in ranked],
        "families": [{"slug": f, "name": f.title(), "probability": p}
                     for f, p in sorted(families.items(), key=lambda kv: -kv[1])],
        "confidence": {"unsure": False, "reasons": [], "top_probability": ranked[0][3],
                       "margin": 0.1, "electronic_probability": 0.9},
        "model": {"name": "genrelens-cnn", "version": "test"},
    }
