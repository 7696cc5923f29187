"""Open progress streams: a cap per client and per web process, and release on close.

Each open ``/api/analyses/<id>/events/`` stream holds one request thread of its web process
(waitress' 16, or gunicorn's ``--threads``) for up to ``SSE_MAX_SECONDS``. Eighteen anonymous
streams made the embedded server stop answering health checks (issue 17), so a process serves
at most ``SSE_MAX_STREAMS`` streams at once, and one client (a user, or an IP for anonymous
callers) at most ``SSE_MAX_STREAMS_PER_CLIENT``. The counts are per process because the thread
pool they protect is: a shared counter in the cache would leak the slots of a killed process.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from rest_framework import status
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from config.api import ApiError

__all__ = ["STREAMS_RETRY_AFTER_S", "ClosingStream", "StreamSlots", "TooManyStreamsError",
           "client_ident", "stream_slots"]

#: Seconds a refused client is told to wait before opening a stream again.
STREAMS_RETRY_AFTER_S = 5


class TooManyStreamsError(ApiError):
    """429: the client, or this web process, has as many streams open as it may."""

    def __init__(self, *, scope: str, limit: int) -> None:
        super().__init__(
            f"too many open progress streams ({scope} limit {limit}); poll "
            "GET /api/analyses/<id>/ instead or retry later",
            code="too_many_streams", status_code=status.HTTP_429_TOO_MANY_REQUESTS,
            extra={"scope": scope, "limit": limit}, retry_after_s=STREAMS_RETRY_AFTER_S)


class StreamSlots:
    """Thread-safe counts of the streams open in this process, in total and per client."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_client: Counter[str] = Counter()

    def open_count(self) -> int:
        """Streams open now in this process."""
        with self._lock:
            return sum(self._by_client.values())

    def acquire(self, client: str) -> Callable[[], None]:
        """Take a slot for ``client``; returns the (idempotent) release.

        Raises
        ------
        TooManyStreamsError
            ``client`` holds ``SSE_MAX_STREAMS_PER_CLIENT`` slots, or the process
            ``SSE_MAX_STREAMS``.
        """
        per_client, total = settings.SSE_MAX_STREAMS_PER_CLIENT, settings.SSE_MAX_STREAMS
        with self._lock:
            if self._by_client[client] >= per_client:
                raise TooManyStreamsError(scope="client", limit=per_client)
            if sum(self._by_client.values()) >= total:
                raise TooManyStreamsError(scope="server", limit=total)
            self._by_client[client] += 1
        released = threading.Event()

        def release() -> None:
            with self._lock:
                if released.is_set():
                    return
                released.set()
                self._by_client[client] -= 1
                if self._by_client[client] <= 0:
                    del self._by_client[client]
        return release


#: The process' slots (one pool of request threads per process).
stream_slots = StreamSlots()


def client_ident(request: Request) -> str:
    """Whose streams these are: the user, or the client IP (``NUM_PROXIES``-aware) if anonymous."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"ip:{BaseThrottle().get_ident(request)}"


class ClosingStream:
    """An iterator over ``chunks`` that calls ``on_close`` when the server closes the response.

    The WSGI server calls ``close()`` when the client went away or the stream ended, even when
    the body was never iterated; a generator's own ``finally`` would not run in that case, and
    the slot would leak.
    """

    def __init__(self, chunks: Iterator[str], *, on_close: Callable[[], None]) -> None:
        self._chunks = chunks
        self._on_close = on_close

    def __iter__(self) -> ClosingStream:
        return self

    def __next__(self) -> str:
        return next(self._chunks)

    def close(self) -> None:
        try:
            close: Any = getattr(self._chunks, "close", None)
            if close is not None:
                close()
        finally:
            self._on_close()
