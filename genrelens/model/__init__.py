"""The genre model as an artefact: config, network, checkpoint, ONNX export and the shipped weights.

What describes, saves and loads a model lives here; running it on audio is
``genrelens.predict``, training it ``genrelens.train``. Import the submodules directly
(``genrelens.model.artifact``, ``genrelens.model.identity``...): this package file stays empty so
that the light ones load without torch.
"""

from __future__ import annotations

__all__: list[str] = []
