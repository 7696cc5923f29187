"""The decoder child kept for file after file: started once, sent one request a file.

Starting a child for every file cost about 0.15 s (interpreter, numpy, soundfile and soxr
imports), a fifth of a 30-second clip's analysis. The isolation stays: the child runs under its
memory limit, a file that crashes or stalls it kills only it, and then the next file gets a
fresh one. A child that has served ``MAX_FILES_PER_CHILD`` files is replaced too, so a slow leak
in a decoding library cannot build up. One child is kept per process; a second analysis running
at the same time in another thread gets a child of its own for its file.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
import os
import select
import tempfile
import threading
from collections.abc import Iterator
from typing import IO, Any

from genrelens.audio.sandbox import start_isolated
from genrelens.errors import DecoderCrashedError

__all__ = ["MAX_FILES_PER_CHILD", "DecoderChild", "decoder_child", "close_kept"]

#: Files one child decodes before a fresh one replaces it.
MAX_FILES_PER_CHILD = 500


class DecoderChild:
    """One ``genrelens.audio.decode_worker`` process and its pipes."""

    def __init__(self, memory_limit: int) -> None:
        self.memory_limit = memory_limit
        self.owner_pid = os.getpid()
        self.files = 0
        self._busy = False
        # Kept open for the child's lifetime (closed in ``close``), so not a ``with`` block.
        self._stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        self.process = start_isolated("genrelens.audio.decode_worker", memory_limit=memory_limit,
                                      stderr=self._stderr)

    @property
    def reusable(self) -> bool:
        """Alive, answered its last request, and not worn out."""
        return (not self._busy and self.process.poll() is None
                and self.files < MAX_FILES_PER_CHILD)

    def send(self, request: dict[str, Any]) -> None:
        """Send one request; a child that has died meanwhile counts as a crash."""
        assert self.process.stdin is not None
        self._busy = True
        self.files += 1
        try:
            self.process.stdin.write((json.dumps(request) + "\n").encode())
            self.process.stdin.flush()
        except OSError:  # BrokenPipeError: it died while idle
            raise self._crashed() from None

    def answer(self, timeout_s: float) -> dict[str, Any] | None:
        """The answer to the last request if it comes within ``timeout_s``, else None.

        Raises ``DecoderCrashedError`` when the child ended (or wrote garbage) instead.
        """
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], max(timeout_s, 0.0))
        if not ready:
            return None
        line = self.process.stdout.readline()
        try:
            answer = json.loads(line)
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise self._crashed()
        self._busy = False
        return answer

    def _crashed(self) -> DecoderCrashedError:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self._stderr.seek(0)
        reason = "ran out of memory" if b"MemoryError" in self._stderr.read() else "crashed"
        self.close()
        return DecoderCrashedError(f"the decoder {reason} on this file",
                                   extra={"returncode": self.process.returncode})

    def close(self) -> None:
        """Kill the child (if it still runs) and release its pipes."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self._stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


_kept: DecoderChild | None = None
_kept_lock = threading.Lock()


@contextlib.contextmanager
def decoder_child(memory_limit: int) -> Iterator[DecoderChild]:
    """A live decoder child for one file: the kept one when it is free, else a fresh one.

    After the ``with`` block it is kept for the next file if it answered and is healthy, and
    killed otherwise (a caller that stops waiting, a crash, a timeout).
    """
    global _kept
    owner = _kept_lock.acquire(blocking=False)
    try:
        child = None
        if owner and _kept is not None:
            child, _kept = _kept, None
            if child.owner_pid != os.getpid():
                child = None  # inherited through fork: the parent's, not ours to use or kill
            elif not child.reusable or child.memory_limit != memory_limit:
                child.close()
                child = None
        if child is None:
            child = DecoderChild(memory_limit)
        try:
            yield child
        finally:
            if owner and child.reusable:
                _kept = child
                _close_at_exit()
            else:
                child.close()
    finally:
        if owner:
            _kept_lock.release()


@functools.cache
def _close_at_exit() -> None:
    atexit.register(close_kept)


def close_kept() -> None:
    """Kill the kept child now (a benchmark reading its children's peak memory, a test)."""
    global _kept
    with _kept_lock:
        if _kept is not None and _kept.owner_pid == os.getpid():
            _kept.close()
        _kept = None
