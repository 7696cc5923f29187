"""Makes ``tests/signals.py`` importable as ``signals`` from every test package."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
