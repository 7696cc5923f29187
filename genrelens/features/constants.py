"""Feature parameters shared by extraction, training and checkpoints (changing one is a new schema)."""

from __future__ import annotations

from genrelens.audio.constants import SAMPLE_RATE

__all__ = [
    "FEATURE_SCHEMA_VERSION",
    "SAMPLE_RATE",
    "N_FFT",
    "HOP_LENGTH",
    "N_MELS",
    "FMIN",
    "N_MFCC",
    "WINDOW_FRAMES",
    "WINDOW_HOP_FRAMES",
    "FRAMES_PER_SECOND",
    "BASS_CUTOFF_HZ",
    "SUB_CUTOFF_HZ",
    "HIGH_CUTOFF_HZ",
]

#: Bumped whenever any parameter here or any feature definition changes.
FEATURE_SCHEMA_VERSION = "1"
N_FFT = 2048
HOP_LENGTH = 512
N_MELS = 96
FMIN = 20.0
N_MFCC = 20
#: One analysis window: 256 STFT frames, about 5.9 s at 22.05 kHz.
WINDOW_FRAMES = 256
#: Windows overlap by half.
WINDOW_HOP_FRAMES = 128
FRAMES_PER_SECOND = SAMPLE_RATE / HOP_LENGTH
BASS_CUTOFF_HZ = 150.0
SUB_CUTOFF_HZ = 60.0
HIGH_CUTOFF_HZ = 4000.0
