"""Inference: how a track is analysed, from the decoded audio to the genre answer and its 'why'.

Runs for every upload on ONNX Runtime: it never imports torch, ``onnx`` or ``genrelens.train``
(tests/core/test_import_contracts.py). Import the submodules directly
(``genrelens.predict.pipeline``, ``genrelens.predict.infer``...): this package file stays empty.
"""

from __future__ import annotations

__all__: list[str] = []
