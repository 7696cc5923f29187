"""Audio constants every part of GenreLens shares (analysis rate, length limits)."""

from __future__ import annotations

__all__ = [
    "SAMPLE_RATE",
    "MIN_SECONDS",
    "MAX_DECLARED_SECONDS",
    "MAX_ANALYSIS_SECONDS",
    "DECODE_TIMEOUT_S",
    "FFMPEG_FORMATS",
    "TEST_HOOK_ENV",
]

#: Analysis sample rate [Hz]: mono float32 everywhere after decoding.
SAMPLE_RATE = 22050
#: Shortest audio analysed [seconds]; one analysis window needs this much.
MIN_SECONDS = 3.0
#: Longest duration a header may declare before the file is refused [seconds].
MAX_DECLARED_SECONDS = 4 * 3600.0
#: Decoded samples are always capped at this [seconds], whatever the header says.
MAX_ANALYSIS_SECONDS = 3 * 3600.0
#: Wall-clock limit of one isolated decode [seconds].
DECODE_TIMEOUT_S = 300.0
#: Containers libsndfile cannot read: probed with ffprobe and decoded by ffmpeg when installed.
FFMPEG_FORMATS = ("m4a", "aac")
#: Test-only fault injection of the decoder child (``sleep:SECONDS``, ``crash``, ``alloc``),
#: read by the parent at each request; unset in production.
TEST_HOOK_ENV = "GENRELENS_DECODE_TEST_HOOK"
