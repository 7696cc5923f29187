"""Genre model: config, network, training, calibration, evaluation, inference and the 'why'.

Import the submodules directly (``genrelens.model.infer``, ``genrelens.model.why``...): this
package file stays empty so that light modules such as ``why`` load without torch.
"""

from __future__ import annotations

__all__: list[str] = []
