"""Regenerate the ONNX graphs inference runs: both musicnn models, from their converted weights.

Run after ``tools/convert_musicnn.py`` (or whenever ``genrelens/backbone/musicnn.py`` changes),
with the training extra installed (torch and onnx)::

    .venv/bin/python tools/export_onnx.py

Each graph is checked against the eager PyTorch network before it is written (see
``genrelens.backbone.export``). The genre model's graph needs no step of its own: it is exported
into the checkpoint whenever a checkpoint is saved (``genrelens.model.checkpoint``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from genrelens.backbone.embed import MODEL_FILES  # noqa: E402
from genrelens.backbone.export import export_graph  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    for name in sorted(MODEL_FILES):
        path = export_graph(name)  # type: ignore[arg-type]
        print(f"{name}: wrote {path.relative_to(REPO)} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
