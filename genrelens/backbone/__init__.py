"""musicnn (Pons & Serra 2019), ported to PyTorch: real-music tags and embeddings.

Submodules are imported explicitly (``genrelens.backbone.embed``); this package imports nothing,
so that ``reference`` stays usable without torch.
"""

from __future__ import annotations

__all__: list[str] = []
