"""The ``genrelens`` command line: one module a subcommand, registered in ``main.COMMANDS``."""

from __future__ import annotations

__all__: list[str] = []
