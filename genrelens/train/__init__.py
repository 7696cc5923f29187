"""Training: how the genre model is trained, calibrated and evaluated (torch, the ``train`` extra).

Never imported on the analysis path (tests/core/test_import_contracts.py). Import the submodules
directly (``genrelens.train.workflow``, ``genrelens.train.train``...): this package file stays empty.
"""

from __future__ import annotations

__all__: list[str] = []
