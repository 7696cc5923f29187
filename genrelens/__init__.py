"""GenreLens core: decode audio, extract features, and say which electronic genre it is."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
