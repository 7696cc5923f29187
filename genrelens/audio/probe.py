"""Header probe: what a file declares (format, rate, channels, duration) without decoding it."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import soundfile as sf

from genrelens.audio.constants import FFMPEG_FORMATS, MAX_DECLARED_SECONDS, MIN_SECONDS
from genrelens.audio.sniff import MIME_TYPES, SNIFF_BYTES, describe_non_audio, sniff_format
from genrelens.errors import (
    AudioDecodeError,
    AudioTooLongError,
    AudioTooShortError,
    EmptyFileError,
    UnsupportedMediaError,
)

__all__ = ["AudioInfo", "PROBE_TIMEOUT_S", "probe_file", "read_head"]

#: Wall-clock limit of an ffprobe call [seconds].
PROBE_TIMEOUT_S = 20.0
# libsndfile reports INT64_MAX frames for a FLAC whose STREAMINFO says "unknown length".
_ABSURD_FRAMES = 2**40


@dataclass(frozen=True)
class AudioInfo:
    """What a file's header declares. ``declared_duration_s`` is None when unknown."""

    format: str
    mime: str
    sample_rate: int
    channels: int
    declared_duration_s: float | None


def read_head(path: Path) -> bytes:
    """Return the first ``SNIFF_BYTES`` of ``path``, raising EmptyFileError for a 0-byte file."""
    if path.stat().st_size == 0:
        raise EmptyFileError("the file is empty")
    with path.open("rb") as handle:
        return handle.read(SNIFF_BYTES)


def _probe_soundfile(path: Path, fmt: str) -> AudioInfo:
    try:
        info = sf.info(str(path))
    except (sf.LibsndfileError, RuntimeError, TypeError) as exc:
        # libsndfile's own messages are misleading ("possibly a pipe?"): never show them.
        raise AudioDecodeError(
            f"looks like {fmt.upper()} but its header cannot be read",
            extra={"format": fmt},
        ) from exc
    duration: float | None = None
    if 0 < info.frames < _ABSURD_FRAMES and info.samplerate > 0:
        duration = info.frames / info.samplerate
    return AudioInfo(fmt, MIME_TYPES[fmt], int(info.samplerate), int(info.channels), duration)


def _probe_ffprobe(path: Path, fmt: str) -> AudioInfo:
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        raise UnsupportedMediaError(
            f"{fmt.upper()} needs ffmpeg, which is not installed",
            extra={"format": fmt},
        )
    cmd = [ffprobe, "-v", "error", "-select_streams", "a:0", "-show_entries",
           "stream=sample_rate,channels,duration:format=duration", "-of", "json", str(path)]
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=PROBE_TIMEOUT_S, check=False)
        data = json.loads(done.stdout or b"{}")
        stream = data["streams"][0]
    except (subprocess.TimeoutExpired, ValueError, KeyError, IndexError) as exc:
        raise AudioDecodeError(
            f"looks like {fmt.upper()} but holds no readable audio stream",
            extra={"format": fmt},
        ) from exc
    raw = stream.get("duration") or data.get("format", {}).get("duration")
    duration = float(raw) if raw not in (None, "N/A") else None
    if duration is not None and not math.isfinite(duration):
        duration = None
    return AudioInfo(fmt, MIME_TYPES[fmt], int(stream.get("sample_rate", 0)),
                     int(stream.get("channels", 0)), duration)


def probe_file(path: str | os.PathLike[str]) -> AudioInfo:
    """Identify and check an audio file from its bytes and header, without decoding it.

    The container is sniffed from magic bytes; name and extension are ignored. The declared
    duration is only a hint (truncated MP3s decode shorter, FLACs may declare "unknown"), so the
    decoder caps what it reads regardless.

    Parameters
    ----------
    path : path-like
        The file to check.

    Returns
    -------
    AudioInfo

    Raises
    ------
    EmptyFileError
        The file has no bytes.
    UnsupportedMediaError
        The bytes are not a supported audio container (image, text, archive, ...).
    AudioDecodeError
        The container is recognised but its header is unreadable.
    AudioTooShortError, AudioTooLongError
        The header declares fewer than ``MIN_SECONDS`` or more than ``MAX_DECLARED_SECONDS``.
    """
    path = Path(path)
    head = read_head(path)
    fmt = sniff_format(head)
    if fmt is None:
        raise UnsupportedMediaError(
            f"unsupported file type ({describe_non_audio(head)})",
            extra={"detected": describe_non_audio(head)},
        )
    info = _probe_ffprobe(path, fmt) if fmt in FFMPEG_FORMATS else _probe_soundfile(path, fmt)
    if info.declared_duration_s is not None:
        if info.declared_duration_s > MAX_DECLARED_SECONDS:
            raise AudioTooLongError(
                f"declares {info.declared_duration_s / 3600:.1f} h of audio; "
                f"the limit is {MAX_DECLARED_SECONDS / 3600:.0f} h",
                extra={"declared_duration_s": info.declared_duration_s},
            )
        if info.declared_duration_s < MIN_SECONDS:
            raise AudioTooShortError(
                f"{info.declared_duration_s:.1f} s of audio; at least "
                f"{MIN_SECONDS:.0f} s are needed",
                extra={"declared_duration_s": info.declared_duration_s},
            )
    return info
