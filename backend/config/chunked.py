"""Request bodies sent with ``Transfer-Encoding: chunked``, given the length Django needs.

Django reads ``CONTENT_LENGTH`` bytes of ``wsgi.input`` and takes a request without that header
as empty. gunicorn decodes a chunked body but leaves the length unset, so a streamed upload
(``curl -T``, an HTTP client sending a file object) reached the upload view with no parts and
was answered "send exactly one file" (issue 17). waitress, the embedded server, buffers such a
body and sets the length itself, so this wrapper changes nothing there.

The body is spooled (memory up to 1 MiB, then an unnamed temporary file the kernel removes
when it is closed, so a killed worker leaves nothing behind) up to one upload's limit plus the
multipart framing; a longer chunked body is a 413 in the API's error shape. A batch larger
than one file's limit can still be sent with a ``Content-Length``.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

__all__ = ["MULTIPART_SLACK_BYTES", "dechunked"]

#: Room for the multipart boundaries and part headers around one file [bytes].
MULTIPART_SLACK_BYTES = 1 << 20
_SPOOL_IN_MEMORY_BYTES = 1 << 20
_READ_BYTES = 1 << 16

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WsgiApp = Callable[[Environ, StartResponse], Iterable[bytes]]


class _ClosingBody:
    """The application's response, closing the spooled request body when the server is done."""

    def __init__(self, body: Iterable[bytes], spool: IO[bytes]) -> None:
        self._body = body
        self._spool = spool

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._body)

    def close(self) -> None:
        try:
            close = getattr(self._body, "close", None)
            if close is not None:
                close()
        finally:
            self._spool.close()


def _is_chunked(environ: Environ) -> bool:
    encoding = str(environ.get("HTTP_TRANSFER_ENCODING", "")).lower()
    return "chunked" in encoding and not environ.get("CONTENT_LENGTH")


def _spool(stream: IO[bytes], limit: int, directory: str | None) -> tuple[IO[bytes], int] | None:
    """The whole of ``stream`` in a rewound spool and its size, or None (nothing kept) past ``limit``."""
    spool: IO[bytes] = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed by _ClosingBody
        max_size=_SPOOL_IN_MEMORY_BYTES, dir=directory)
    size = 0
    while block := stream.read(_READ_BYTES):
        size += len(block)
        if size > limit:
            spool.close()
            return None
        spool.write(block)
    spool.seek(0)
    return spool, size


def _too_large(start_response: StartResponse, limit: int) -> list[bytes]:
    from config.api import error_body

    body = json.dumps(error_body(
        f"a chunked request body may be at most {limit} bytes; send a Content-Length for more",
        code="file_too_large", extra={"limit_bytes": limit})).encode()
    start_response("413 Request Entity Too Large",
                   [("Content-Type", "application/json"), ("Content-Length", str(len(body))),
                    ("Connection", "close")])
    return [body]


def dechunked(app: WsgiApp, *, limit_bytes: int, spool_dir: str | None = None) -> WsgiApp:
    """``app`` with chunked request bodies spooled and given a ``CONTENT_LENGTH``."""

    def application(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        if not _is_chunked(environ):
            return app(environ, start_response)
        spooled = _spool(environ["wsgi.input"], limit_bytes, spool_dir)
        if spooled is None:
            return _too_large(start_response, limit_bytes)
        spool, size = spooled
        environ["CONTENT_LENGTH"] = str(size)
        environ["wsgi.input"] = spool
        return _ClosingBody(app(environ, start_response), spool)

    return application
