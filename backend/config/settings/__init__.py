"""Settings modules: ``base`` (embedded default, switched by env), ``production``, ``test``."""

from __future__ import annotations

__all__: list[str] = []
