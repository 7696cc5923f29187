"""``backend/genrelens_serve.py``: the embedded run command, end to end over real HTTP."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import closing
from pathlib import Path

import pytest
from backend_helpers import BACKEND_DIR, wait_for, wav_bytes

from genrelens.taxonomy import FAMILY_SLUGS

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = "serve-test-boundary"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: audio/wav\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def _get(url: str) -> dict[str, object]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return dict(json.loads(response.read()))


def test_serve_runs_a_job_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    port = _free_port()
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.base",
               GENRELENS_VAR_DIR=str(tmp_path / "var"),
               PYTHONPATH=os.pathsep.join(sys.path))
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    # A temporary upload of a server killed mid-upload, seven hours ago: swept at start-up.
    dead_upload = tmp_path / "var" / "tmp" / "tmpdead.upload.wav"
    dead_upload.parent.mkdir(parents=True)
    dead_upload.write_bytes(b"x" * 100)
    os.utime(dead_upload, (time.time() - 7 * 3600,) * 2)
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        serve = subprocess.Popen([sys.executable, str(BACKEND_DIR / "genrelens_serve.py"),
                                  "--port", str(port)], env=env, stdout=out,
                                 stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: f"running at {base}/" in log.read_text(errors="replace"),
                 what="the server to start", limit=90)
        started_line = re.search(r"worker started \(pid (\d+); (\d+) analyses at once\)",
                                 log.read_text())
        assert started_line is not None
        worker_pid = int(started_line[1])
        assert int(started_line[2]) == 1
        assert _get(f"{base}/api/health/ready") == {"database": "ok", "broker": "ok"}
        assert not dead_upload.exists()
        families = _get(f"{base}/api/genres/")["families"]
        assert [f["slug"] for f in families] == list(FAMILY_SLUGS)  # data/taxonomy.yaml loaded
        body, content_type = _multipart("serve.wav", wav_bytes(5.0))
        request = urllib.request.Request(f"{base}/api/analyses/", data=body, method="POST",
                                         headers={"Content-Type": content_type})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 202
            url = base + json.loads(response.read())["url"]
        done = wait_for(lambda: _get(url)["status"] in ("succeeded", "failed") and _get(url),
                        what="the job to finish in the embedded worker")
        assert done["status"] == "succeeded", done["error"]

        started = time.monotonic()
        serve.send_signal(signal.SIGINT)  # what Ctrl-C sends
        assert serve.wait(timeout=60) == 0
        assert time.monotonic() - started < 60
        with pytest.raises(ProcessLookupError):
            os.kill(worker_pid, 0)  # the worker is gone too
    except BaseException:
        print(log.read_text(errors="replace")[-4000:])
        raise
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait(timeout=10)
