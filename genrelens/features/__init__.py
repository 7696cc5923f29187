"""Audio features: one STFT per chunk feeds spectral, tonal, rhythm and log-mel features."""

from __future__ import annotations

__all__: list[str] = []
