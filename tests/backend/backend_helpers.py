"""Helpers of the backend tests: generated audio and images, a tiny taxonomy, result JSON.

Audio is generated from seeded RNGs; nothing is committed.
"""

from __future__ import annotations

import io
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import uuid
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf
from rest_framework.test import APIClient

from config.celery import app as celery_app
from config.settings.base import celery_transport_options

__all__ = ["SR", "beat_track", "png_bytes", "sample_result", "upload",
           "upload_raw", "wav_bytes", "broker", "celery_worker", "hung_server", "wait_for"]

SR = 22050


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
                  camelot: str = "8A", key: str = "A minor", energy: int = 6,
                  unsure: bool = False) -> dict[str, Any]:
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
        "energy": {"level": energy, "parts": {}},
        "confidence": {"unsure": unsure, "reasons": [], "top_probability": ranked[0][3],
                       "margin": 0.1, "electronic_probability": 0.9},
        "model": {"name": "genrelens-cnn", "version": "test"},
    }


@contextmanager
def broker(url: str) -> Iterator[None]:
    """Point the Celery app at another broker (and publish for real, not eagerly)."""
    conf = celery_app.conf
    saved = (conf.broker_url, conf.broker_transport_options, conf.task_always_eager)
    conf.broker_url, conf.task_always_eager = url, False
    conf.broker_transport_options = celery_transport_options(url)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        conf.broker_url, conf.broker_transport_options, conf.task_always_eager = saved
        celery_app._pool = None
        celery_app.amqp._producer_pool = None


@contextmanager
def hung_server() -> Iterator[int]:
    """A loopback TCP port that accepts connections and never answers (a hung broker)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(0.1)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            with suppress(OSError):
                held.append(listener.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield int(listener.getsockname()[1])
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        listener.close()


BACKEND_DIR = Path(__file__).resolve().parents[2] / "backend"
#: Longest wait for any state in the worker tests [seconds].
WAIT_LIMIT_S = 120.0


def wait_for(predicate: Callable[[], Any], *, what: str, limit: float = WAIT_LIMIT_S) -> Any:
    """Poll ``predicate`` until it returns something truthy; fail after ``limit`` seconds."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {limit:.0f} s waiting for {what}")


@contextmanager
def celery_worker(log: Path, *, database: str,
                  **settings_env: str) -> Iterator[subprocess.Popen[bytes]]:
    """A real ``celery worker -B`` subprocess (one prefork child) sharing the test database.

    ``settings_env`` are GENRELENS_* settings (lease, sweep interval, test stall...). The worker
    runs in its own process group, which is stopped (TERM, then KILL) on exit.
    """
    env = dict(os.environ)
    env.update(DJANGO_SETTINGS_MODULE="config.settings.test", GENRELENS_CELERY_EAGER="0",
               GENRELENS_TEST_LIVE_DB=database, PYTHONPATH=os.pathsep.join(sys.path),
               **settings_env)
    schedule = log.with_suffix(".beat")
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-B", "-s",
               str(schedule), "--pool", "prefork", "--concurrency", "1", "--loglevel", "INFO",
               "-n", f"test-{uuid.uuid4().hex[:8]}@%h", "--without-gossip", "--without-mingle"]
    with log.open("wb") as out:
        worker = subprocess.Popen(command, cwd=BACKEND_DIR, env=env, stdout=out,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield worker
    finally:
        _stop_group(worker)


def _stop_group(process: subprocess.Popen[bytes], *, grace: float = 15.0) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # warm shutdown of the main process
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # children left behind by a killed parent
    process.wait(timeout=10)
