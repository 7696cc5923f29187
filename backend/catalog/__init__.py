"""The catalogue: genre families and genres (from the taxonomy), artists and tracks."""

from __future__ import annotations

__all__: list[str] = []
