"""Batches of files over one spawn process per core, each with single-threaded libraries.

``genrelens analyze`` and ``genrelens scan`` share it. Separate processes, not threads, because
most of an analysis holds the GIL; the libraries' own thread pools are set to one thread in
the workers (``THREAD_ENV``) so that the processes fill the cores without fighting over them.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from genrelens.runtime import THREAD_ENV

__all__ = ["default_jobs", "run_pool"]


def default_jobs() -> int:
    """Worker processes: one per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _worker_init() -> None:
    # The parent owns Ctrl-C: it stops the pool; workers must not die half-way through a write.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_pool(jobs: int, func: Callable[[Any], Any], items: Sequence[Any], *,
             ordered: bool = False) -> Iterator[Any]:
    """``func`` over ``items`` in ``jobs`` spawn processes (inline for one job or one item).

    Results come as they finish, or in the order of ``items`` when ``ordered``. ``func`` must
    be a module-level function (spawn pickles it by name) that reports its own errors in its
    result: an exception would end the whole batch.
    """
    if jobs <= 1 or len(items) <= 1:
        yield from map(func, items)
        return
    import multiprocessing  # here: `genrelens analyze FILE` of one file never needs it

    saved = {name: os.environ.get(name) for name in THREAD_ENV}
    for name in THREAD_ENV:
        os.environ.setdefault(name, "1")
    try:
        pool = multiprocessing.get_context("spawn").Pool(min(jobs, len(items)), _worker_init)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    try:
        yield from (pool.imap if ordered else pool.imap_unordered)(func, items)
        pool.close()
    finally:
        pool.terminate()
        pool.join()
