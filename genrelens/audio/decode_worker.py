"""Child-process decoder: file -> mono float32 raw samples at the analysis rate, capped.

Run as ``python -m genrelens.audio.decode_worker``, one JSON request a line on stdin (``main``),
for as many files as the parent sends. For each it resamples every channel, measures loudness on
them (BS.1770 sums the channels' power, so this must happen before the downmix), and writes the
mono samples to DST, the 100 ms loudness energies to DST.loudness.npy and one JSON status line
to stdout (``{"error": ...}`` for a file it refuses). The parent (genrelens.audio.decode) runs it
under a memory and a time limit so that a hostile file can only kill this process, and reads DST
while it grows: every block is flushed as soon as it is written.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import soundfile as sf
import soxr

from genrelens.audio.constants import FFMPEG_FORMATS
from genrelens.errors import AudioDecodeError, GenreLensError, InvalidAudioError
from genrelens.features.loudness import LoudnessMeter

__all__ = ["BLOCK_SECONDS", "RESAMPLE_QUALITY", "decode_to_raw", "main"]

#: Seconds of source audio read per block: bounds the child's memory whatever the file length.
BLOCK_SECONDS = 10
_FFMPEG_RATE = 44100
_FFMPEG_CHANNELS = 2
_UNKNOWN_LENGTH_FRAMES = 2**40
#: soxr "MQ" (16-bit precision) is eight times faster than "HQ" and far beyond what genre,
#: tempo and key analysis can resolve.
RESAMPLE_QUALITY = "MQ"


def _soundfile_blocks(src: Path) -> tuple[int, int, Iterator[np.ndarray]]:
    handle = sf.SoundFile(str(src))
    if handle.frames >= _UNKNOWN_LENGTH_FRAMES:
        # A FLAC of unknown length: libsndfile cannot report a position, so pysoundfile's
        # position bookkeeping must be off; sequential reads work and the cap still applies.
        handle._info.seekable = 0
    size = handle.samplerate * BLOCK_SECONDS

    def blocks() -> Iterator[np.ndarray]:
        with handle:
            while True:
                block = handle.read(size, dtype="float32", always_2d=True)
                if not len(block):
                    return
                yield block

    return handle.samplerate, handle.channels, blocks()


def _ffmpeg_blocks(src: Path) -> tuple[int, int, Iterator[np.ndarray]]:
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise AudioDecodeError("this format needs ffmpeg, which is not installed")
    cmd = [ffmpeg, "-nostdin", "-v", "error", "-i", str(src), "-vn", "-f", "f32le",
           "-ac", str(_FFMPEG_CHANNELS), "-ar", str(_FFMPEG_RATE), "pipe:1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    stream: BinaryIO = proc.stdout  # type: ignore[assignment]
    size = _FFMPEG_RATE * BLOCK_SECONDS * _FFMPEG_CHANNELS * 4

    def blocks() -> Iterator[np.ndarray]:
        try:
            while data := stream.read(size):
                usable = len(data) - len(data) % (4 * _FFMPEG_CHANNELS)
                yield np.frombuffer(data[:usable], dtype="<f4").reshape(-1, _FFMPEG_CHANNELS)
        finally:
            proc.kill()
            proc.wait()

    return _FFMPEG_RATE, _FFMPEG_CHANNELS, blocks()


def _apply_test_hook(hook: str) -> None:
    if hook.startswith("sleep:"):
        time.sleep(float(hook.split(":", 1)[1]))
    elif hook == "crash":
        os.abort()
    elif hook == "alloc":
        np.ones(1 << 34, dtype=np.uint8)  # 16 GiB: must hit the address-space limit


def decode_to_raw(src: Path, dst: Path, fmt: str, sr: int, max_frames: int, *,
                  test_hook: str = "") -> dict[str, Any]:
    """Decode ``src`` into ``dst`` as mono float32 at ``sr``, stopping after ``max_frames``.

    Returns the status dict printed by ``main``: frames written, whether the cap cut the audio,
    the source rate and channels, and the sample peak. ``test_hook``: ``TEST_HOOK_ENV``'s value
    in the parent when it asked (the child outlives any one test's environment).
    """
    _apply_test_hook(test_hook)
    opener = _ffmpeg_blocks if fmt in FFMPEG_FORMATS else _soundfile_blocks
    try:
        src_sr, channels, blocks = opener(src)
    except (sf.LibsndfileError, RuntimeError) as exc:
        raise AudioDecodeError("the audio data cannot be decoded") from exc
    resampler = soxr.ResampleStream(src_sr, sr, channels, dtype="float32", quality=RESAMPLE_QUALITY)
    meter = LoudnessMeter(sr, channels)
    written, truncated = 0, False
    with dst.open("wb") as out, _Metering(meter) as metering:
        try:
            for block in blocks:
                if not np.isfinite(block).all():
                    raise InvalidAudioError("the audio holds NaN or infinite samples")
                written += _write_capped(out, metering.mono(resampler.resample_chunk(block)),
                                         max_frames - written)
                if written >= max_frames:
                    truncated = True
                    break
            if not truncated:
                rest = resampler.resample_chunk(np.zeros((0, channels), dtype=np.float32), last=True)
                written += _write_capped(out, metering.mono(rest), max_frames - written)
        except (sf.LibsndfileError, RuntimeError) as exc:
            if written == 0:
                raise AudioDecodeError("the audio data cannot be decoded") from exc
            truncated = True  # a corrupt tail: keep what decoded, say it was cut
    np.save(dst.with_suffix(".loudness.npy"), np.asarray(meter.energies, dtype=np.float64))
    return {"frames": written, "truncated": truncated, "source_sr": src_sr,
            "channels": channels, "peak": meter.peak}


class _Metering:
    """Feeds the loudness meter every channel on a second thread while this one decodes on.

    The meter's FFT filtering (numpy releases the GIL) is most of the child's work: 0.55 s of
    a 6-minute MP3 against 0.4 s for decoding and resampling. Blocks reach the meter in order,
    at most one waiting, so memory stays one block.
    """

    def __init__(self, meter: LoudnessMeter) -> None:
        self._meter = meter
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="genrelens-loudness")
        self._pending: Future[None] | None = None

    def __enter__(self) -> _Metering:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True)
        if self._pending is not None and exc[0] is None:
            self._pending.result()

    def mono(self, block: np.ndarray) -> np.ndarray:
        """Hand ``block`` [shape=(n, channels)] to the meter; return its downmix to mono."""
        if self._pending is not None:
            self._pending.result()
        self._pending = self._pool.submit(self._meter.add, block)
        # A product, not ``mean(axis=1)``: numpy's reduction across two channels took 0.14 s
        # of a 6-minute track, the product 0.01 s.
        weights = np.full(block.shape[1], 1.0 / block.shape[1], dtype=block.dtype)
        return np.asarray(block @ weights, dtype=np.float32)


def _write_capped(out: BinaryIO, samples: np.ndarray, room: int) -> int:
    chunk = np.ascontiguousarray(samples[: max(room, 0)], dtype="<f4")
    out.write(chunk.tobytes())
    out.flush()  # the parent reads each block while the next one decodes
    return len(chunk)


def _decode_request(line: str) -> dict[str, Any]:
    """One request line -> its status dict, or ``{"error": ...}`` for a typed error."""
    request = json.loads(line)
    try:
        return decode_to_raw(Path(request["src"]), Path(request["dst"]), request["format"],
                             int(request["sr"]), int(request["max_frames"]),
                             test_hook=request.get("test_hook", ""))
    except GenreLensError as exc:
        return {"error": exc.to_dict()}


def main(argv: list[str]) -> int:
    """Serve one JSON request a line from stdin until it closes, one status line each.

    A request names ``src``, ``dst``, ``format``, ``sr`` and ``max_frames``. The parent keeps
    one such child for file after file (no interpreter start and imports each time); anything
    but a typed error (a crash, MemoryError at the address-space limit) ends the process, and
    the parent starts a fresh one for the next file.
    """
    if argv:
        print("usage: python -m genrelens.audio.decode_worker  (requests on stdin)", file=sys.stderr)
        return 2
    for line in sys.stdin:
        print(json.dumps(_decode_request(line)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
