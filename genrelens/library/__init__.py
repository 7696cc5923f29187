"""A DJ's library: key notations, tags written back into files, exports and folder scans."""

from __future__ import annotations

__all__: list[str] = []
