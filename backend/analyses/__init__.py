"""Analysis jobs: upload, queue, run the core pipeline in a worker, store the result."""

from __future__ import annotations

__all__: list[str] = []
