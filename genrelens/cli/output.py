"""Shared CLI output helpers: one-line errors, exit codes and a terminal progress line."""

from __future__ import annotations

import sys
from typing import TextIO

from genrelens.errors import GenreLensError

__all__ = ["EXIT_OK", "EXIT_INTERNAL", "EXIT_BAD_INPUT", "EXIT_PARTIAL", "error_line",
           "exit_code", "ProgressLine"]

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2
EXIT_PARTIAL = 3


def error_line(name: str, error: Exception) -> str:
    """``genrelens: <name>: <message> [<code>]``; never a traceback."""
    if isinstance(error, GenreLensError):
        return f"genrelens: {name}: {error.message} [{error.code}]"
    return f"genrelens: {name}: internal error ({type(error).__name__}: {error}) [internal]"


def exit_code(failed: int, total: int, *, internal: bool = False) -> int:
    """0 when all succeeded, 2 when all failed on bad input, 3 when some failed, 1 on a bug."""
    if internal:
        return EXIT_INTERNAL
    if failed == 0:
        return EXIT_OK
    return EXIT_BAD_INPUT if failed == total else EXIT_PARTIAL


class ProgressLine:
    """A single self-overwriting status line on a terminal; silent when not a terminal."""

    def __init__(self, stream: TextIO | None = None) -> None:
        # sys.stderr read at each call, not bound at import (a test's captured stream closes).
        self._stream = stream if stream is not None else sys.stderr
        self._active = self._stream.isatty()

    def update(self, label: str, stage: str, fraction: float) -> None:
        if not self._active:
            return
        filled = int(fraction * 20)
        bar = "#" * filled + "-" * (20 - filled)
        self._stream.write(f"\r{label[:40]:<40} {stage:<9} [{bar}] {fraction:4.0%}")
        self._stream.flush()

    def clear(self) -> None:
        if self._active:
            self._stream.write("\r" + " " * 80 + "\r")
            self._stream.flush()
