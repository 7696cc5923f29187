"""A wall-clock budget for one file's analysis, so that no input can stall a batch.

The CLI and the library scan analyse files one after another in a process they own; a stall in
any stage (a pathological envelope, a decoder that stops answering) would stop every file after
it. The web worker does not use this: Celery's own soft and hard time limits bound its jobs.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from genrelens.errors import AnalysisTimeoutError, InvalidParameterError

__all__ = ["ANALYSIS_TIME_LIMIT_S", "time_limit"]

#: Default budget per file: a two-hour mix takes about 75 s on one core of the project machine.
ANALYSIS_TIME_LIMIT_S = 300.0
# When the budget runs out inside an import, the error waits this long [seconds] and tries again.
_IMPORT_GRACE_S = 0.05
# After an error a finaliser swallowed, the next one is raised this long after [seconds].
_RETRY_S = 0.5


def _importing(frame: FrameType | None) -> bool:
    """Whether ``frame``'s stack is inside an import: an exception there leaves the module half
    initialised, and every later import of it fails (``ImportError: initialization failed``)."""
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ``AnalysisTimeoutError`` in the block once ``seconds`` of wall time have passed.

    Uses ``SIGALRM`` (an interval timer), so it bounds pure-Python and numpy loops alike; it only
    works in the main thread of a POSIX process, and elsewhere (or with ``None``) it does nothing.
    An import running when the time is up is let finish first (see ``_importing``).
    A child process waited for with ``subprocess.run`` is killed by ``run`` when the error
    unwinds through it.

    Python swallows an exception raised in a finaliser (``__del__``, a weakref callback) and
    prints it as "Exception ignored"; the alarm can land there. So the error is not printed,
    it is raised again every ``_RETRY_S`` until it unwinds the block, and a block that
    finishes after its time was up raises it at the end: the file fails however it ends.
    """
    if seconds is not None and not seconds > 0:
        raise InvalidParameterError(f"the time limit must be positive, got {seconds}")
    usable = (seconds is not None and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return
    assert seconds is not None

    def timeout() -> AnalysisTimeoutError:
        return AnalysisTimeoutError(f"analysis took longer than {seconds:g} s and was stopped",
                                    extra={"time_limit_s": seconds})

    expired = False

    def expire(signum: int, frame: FrameType | None) -> None:
        nonlocal expired
        if _importing(frame):
            signal.setitimer(signal.ITIMER_REAL, _IMPORT_GRACE_S)
            return
        expired = True
        signal.setitimer(signal.ITIMER_REAL, _RETRY_S)
        raise timeout()

    def unraisable(info: sys.UnraisableHookArgs) -> None:
        if not isinstance(info.exc_value, AnalysisTimeoutError):
            previous_hook(info)

    previous_hook = sys.unraisablehook
    sys.unraisablehook = unraisable
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        sys.unraisablehook = previous_hook
    if expired:
        raise timeout()
