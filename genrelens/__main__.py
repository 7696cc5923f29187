"""Allows ``python -m genrelens``."""

from __future__ import annotations

import sys

from genrelens.cli.main import main

__all__: list[str] = []

sys.exit(main())
