"""Container detection from magic bytes: the file name and Content-Type are never trusted."""

from __future__ import annotations

from typing import Final

__all__ = ["SNIFF_BYTES", "AUDIO_FORMATS", "MIME_TYPES", "sniff_format", "describe_non_audio"]

#: How many leading bytes ``sniff_format`` needs.
SNIFF_BYTES: Final = 4096

#: Formats GenreLens decodes, by the name ``sniff_format`` returns.
AUDIO_FORMATS: Final = ("wav", "flac", "ogg", "opus", "mp3", "aiff", "m4a", "aac")

MIME_TYPES: Final = {
    "wav": "audio/wav",
    "flac": "audio/flac",
    "ogg": "audio/ogg",
    "opus": "audio/ogg",
    "mp3": "audio/mpeg",
    "aiff": "audio/aiff",
    "m4a": "audio/mp4",
    "aac": "audio/aac",
}

# Signatures of common non-audio files, so the error can say what the file looks like.
_NON_AUDIO: Final = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x7fELF", "an executable"),
    (b"\x1f\x8b", "a gzip archive"),
)

_MPEG_BITRATE_BAD: Final = (0x0, 0xF)


def _is_mpeg_audio_frame(head: bytes, offset: int = 0) -> bool:
    """True when ``head[offset:]`` starts with a plausible MPEG-1/2/2.5 layer I-III frame header."""
    if len(head) < offset + 4:
        return False
    b1, b2, b3 = head[offset + 1], head[offset + 2], head[offset + 3]
    if head[offset] != 0xFF or (b1 & 0xE0) != 0xE0:
        return False
    version = (b1 >> 3) & 0x3
    layer = (b1 >> 1) & 0x3
    bitrate = (b2 >> 4) & 0xF
    rate = (b2 >> 2) & 0x3
    emphasis = b3 & 0x3
    return version != 1 and layer != 0 and bitrate not in _MPEG_BITRATE_BAD and rate != 3 and (
        emphasis != 2
    )


def _is_adts_aac(head: bytes) -> bool:
    return len(head) >= 2 and head[0] == 0xFF and (head[1] & 0xF6) == 0xF0


def _ogg_codec(head: bytes) -> str:
    return "opus" if b"OpusHead" in head[:256] else "ogg"


def sniff_format(head: bytes) -> str | None:
    """Name the audio container in ``head`` (the first ``SNIFF_BYTES`` of a file), or None.

    Parameters
    ----------
    head : bytes
        Leading bytes of the file; fewer than 12 bytes can only match short signatures.

    Returns
    -------
    str or None
        One of ``AUDIO_FORMATS``, or None when the bytes are not a supported container.

    Examples
    --------
    >>> sniff_format(b"fLaC\\x00\\x00\\x00\\x22")
    'flac'
    >>> sniff_format(b"\\x89PNG\\r\\n\\x1a\\n") is None
    True
    """
    if head[:4] in (b"RIFF", b"RF64") and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"fLaC":
        return "flac"
    if head[:4] == b"OggS":
        return _ogg_codec(head)
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return "aiff"
    if head[4:8] == b"ftyp":
        return "m4a"
    if head[:3] == b"ID3":
        return "mp3"
    if _is_mpeg_audio_frame(head):
        return "mp3"
    if _is_adts_aac(head):
        return "aac"
    return None


def describe_non_audio(head: bytes) -> str:
    """Say in a few words what a non-audio file looks like, for the error message."""
    for signature, name in _NON_AUDIO:
        if head.startswith(signature):
            return name
    sample = head[:512]
    if sample and all(32 <= b < 127 or b in (9, 10, 13) for b in sample):
        return "a text file"
    return "not a recognised audio format"
