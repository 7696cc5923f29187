"""Audio input: sniffing, probing and capped, isolated decoding to mono float32."""

from __future__ import annotations

__all__: list[str] = []
