"""Chunked uploads reach the view whole (issue 17 case 8: gunicorn's were read as empty).

gunicorn decodes ``Transfer-Encoding: chunked`` and hands Django a WSGI environ without a
``CONTENT_LENGTH``; the environs here are built the same way and sent to the real WSGI
application (``config.wsgi``) in this process.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import Any

import pytest
from backend_helpers import wav_bytes
from django.core.handlers.wsgi import WSGIHandler

from config.chunked import dechunked
from config.wsgi import application

BOUNDARY = "genrelens-chunked"


def _multipart(data: bytes) -> bytes:
    head = (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="track.wav"\r\nContent-Type: audio/wav\r\n\r\n').encode()
    return head + data + f"\r\n--{BOUNDARY}--\r\n".encode()


def _chunked_environ(body: bytes, path: str = "/api/analyses/") -> dict[str, Any]:
    """What gunicorn passes for a chunked POST: the decoded body and no length."""
    return {
        "REQUEST_METHOD": "POST", "PATH_INFO": path, "SCRIPT_NAME": "", "QUERY_STRING": "",
        "SERVER_NAME": "testserver", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "testserver",
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input": io.BytesIO(body),
        "wsgi.input_terminated": True, "wsgi.url_scheme": "http", "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def _call(app: Any, environ: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    status: list[str] = []
    body = app(environ, lambda s, headers, exc_info=None: status.append(s))
    try:
        content = b"".join(body)
    finally:
        if hasattr(body, "close"):
            body.close()
    return int(status[0].split()[0]), json.loads(content)


@pytest.mark.django_db(transaction=True)
def test_a_chunked_upload_is_analysed_like_one_with_a_length() -> None:
    body = _multipart(wav_bytes(4.0))
    before, answer = _call(WSGIHandler(), _chunked_environ(body))
    assert before == 400 and "exactly one file" in answer["message"]  # what gunicorn users got
    status, created = _call(application, _chunked_environ(body))
    assert status == 202, created
    assert created["status"] in {"queued", "running", "done"}


def test_a_chunked_body_past_the_limit_is_a_413_in_the_error_shape() -> None:
    reached: list[bool] = []

    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        reached.append(True)
        start_response("200 OK", [])
        return [b"{}"]

    status, answer = _call(dechunked(app, limit_bytes=1000), _chunked_environ(b"x" * 1001))
    assert status == 413 and not reached
    assert answer["code"] == "file_too_large" and answer["extra"] == {"limit_bytes": 1000}


def test_requests_with_a_length_pass_untouched() -> None:
    seen: list[dict[str, Any]] = []

    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        seen.append({**environ, "body": environ["wsgi.input"].read()})
        start_response("200 OK", [])
        return [b"{}"]

    environ = _chunked_environ(b"abc")
    del environ["HTTP_TRANSFER_ENCODING"]
    environ["CONTENT_LENGTH"] = "3"
    stream = environ["wsgi.input"]
    _call(dechunked(app, limit_bytes=10), environ)
    assert seen[0]["wsgi.input"] is stream and seen[0]["CONTENT_LENGTH"] == "3"
    chunked = _chunked_environ(b"abc")
    _call(dechunked(app, limit_bytes=10), chunked)
    assert seen[1]["CONTENT_LENGTH"] == "3" and seen[1]["body"] == b"abc"
