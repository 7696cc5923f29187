"""Issue 17's numbers measured again against a running server: leaks, races, broker trouble, login.

``python bench/bench_hardening.py --mode embedded|service [--rounds 20]``

Starts the server that mode uses on loopback (as ``bench_api.py``: waitress, or gunicorn gthread
2 x 8 on PostgreSQL + Redis) and measures, printing one Markdown row each:

- ten uploads one byte over the 200 MB limit: their statuses, the web processes' RSS before and
  after, and how many deleted temporary files they still hold open;
- delete racing uploads of the same bytes: per round one upload, then at once its DELETE and
  three more uploads of those bytes; the statuses over all rounds (issue 17: 16 of 60 uploads
  answered 500);
- 30 wrong admin passwords: their statuses and how long they took (issue 17: all 200 in 6.4 s);
- three uploads of an MP3 whose tag holds a 150 MB cover image: statuses and the web processes'
  RSS (issue 17: +600 MB a request);
- service only: an upload while another session holds the tracks table locked (issue 17: 34 s);
- embedded only: the SQLite files' permission bits (issue 17: 644);
- service only: an upload with Redis unreachable (a closed port; issue 17: 500) and with a
  broker that accepts connections and never answers (issue 17: 10.1 s, the bound is 2 s), each
  on a server started with that ``REDIS_URL``.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import http.cookiejar
import io
import os
import re
import socket
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_api import _free_port, _server  # noqa: E402
from webbench import Mode, bench_environment, wait_for_server  # noqa: E402

__all__: list[str] = []

_BOUNDARY = "genrelensbench"


def _wav(seconds: float = 4.0, seed: int = 0) -> bytes:
    rng = np.random.default_rng(seed)
    buffer = io.BytesIO()
    sf.write(buffer, (0.1 * rng.standard_normal(int(22050 * seconds))).astype(np.float32), 22050,
             format="WAV", subtype="PCM_16")
    return buffer.getvalue()


def _upload(port: int, body: bytes, *, token: str | None = None,
            timeout: float = 60.0) -> tuple[int, bytes]:
    """POST one file part of ``body``; the status (599 when the server cut the connection) and
    the answer's body."""
    head = (f"--{_BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"bench.wav\"\r\nContent-Type: audio/wav\r\n\r\n").encode()
    payload = head + body + f"\r\n--{_BOUNDARY}--\r\n".encode()
    headers = {"Content-Type": f"multipart/form-data; boundary={_BOUNDARY}",
               "Content-Length": str(len(payload))}
    if token:
        headers["Authorization"] = f"Token {token}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("POST", "/api/analyses/", body=payload, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    except (ConnectionError, http.client.HTTPException):
        return 599, b""
    finally:
        connection.close()


def _json_request(port: int, method: str, path: str, token: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, headers={"Authorization": f"Token {token}"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _tree(pid: int) -> list[int]:
    """``pid`` and its children (gunicorn's workers are children of its master)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [pid, *(int(p) for p in children.read_text().split())] if children.exists() else [pid]


def _tree_rss_mb(pid: int) -> float:
    """RSS of ``pid`` and its children [MB]."""
    total = 0
    for p in _tree(pid):
        total += int(re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{p}/status").read_text())[1])  # type: ignore[index]
    return total / 1024


def _deleted_open_files(pid: int) -> int:
    """Deleted files ``pid`` and its children still hold open (a refused upload's spool)."""
    count = 0
    for p in _tree(pid):
        for fd in Path(f"/proc/{p}/fd").iterdir():
            with contextlib.suppress(OSError):
                count += os.readlink(fd).endswith("(deleted)")
    return count


def _oversize(port: int, server_pid: int) -> str:
    from django.conf import settings

    body = b"\0" * (settings.MAX_UPLOAD_BYTES + 1)
    before, held_before = _tree_rss_mb(server_pid), _deleted_open_files(server_pid)
    statuses = Counter(_upload(port, body)[0] for _ in range(10))
    time.sleep(1.0)
    after, held_after = _tree_rss_mb(server_pid), _deleted_open_files(server_pid)
    # Counted before too: gunicorn keeps an unlinked heartbeat file per worker.
    return (f"| 10 uploads one byte over {settings.MAX_UPLOAD_BYTES // 2**20} MB | "
            f"{dict(statuses)} | web RSS {before:.0f} -> {after:.0f} MB; deleted files held "
            f"open {held_before} -> {held_after} |")


def _big_cover(port: int, server_pid: int, work: Path) -> str:
    """An MP3 whose ID3 tag holds a 150 MB cover image (issue 17: +600 MB web RSS a request)."""
    from mutagen.id3 import APIC, ID3

    path = work / "cover.mp3"
    before = _tree_rss_mb(server_pid)
    statuses: Counter[int] = Counter()
    for i in range(3):  # three contents, so none is a re-upload of the one before
        sf.write(path, (0.1 * np.random.default_rng(i).standard_normal(22050 * 5))
                 .astype(np.float32), 22050, format="MP3")
        tags = ID3()
        tags.add(APIC(encoding=3, mime="image/png", type=3, desc="cover",
                      data=b"\0" * (150 * 2**20)))
        tags.save(path)
        statuses[_upload(port, path.read_bytes())[0]] += 1
    time.sleep(1.0)
    return (f"| 3 uploads of an MP3 with a 150 MB cover image | {dict(statuses)} | "
            f"web RSS {before:.0f} -> {_tree_rss_mb(server_pid):.0f} MB |")


def _locked_upload(port: int, database_url: str) -> str:
    """An upload while another session holds the tracks table locked (issue 17: waited 34 s)."""
    import psycopg

    with psycopg.connect(database_url) as holder:
        holder.execute("LOCK TABLE catalog_track IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        status = _upload(port, _wav(seed=7))[0]
        elapsed = time.monotonic() - started
        holder.rollback()
    return f"| upload while the tracks table is locked | {status} | {elapsed:.1f} s |"


def _race(port: int, token: str, rounds: int) -> str:
    uploads: Counter[int] = Counter()
    deletes: Counter[int] = Counter()
    for round_ in range(rounds):
        body = _wav(seed=round_)
        status, answer = _upload(port, body, token=token)
        analysis = re.search(rb'"id":"([0-9a-f-]{36})"', answer)
        if analysis is None:
            uploads[status] += 1
            continue
        path = f"/api/analyses/{analysis[1].decode()}/"
        with ThreadPoolExecutor(4) as pool:
            deleting = pool.submit(_json_request, port, "DELETE", path, token)
            racing = [pool.submit(_upload, port, body, token=token) for _ in range(3)]
            deletes[deleting.result()[0]] += 1
            for future in racing:
                uploads[future.result()[0]] += 1
    total = sum(uploads.values())
    errors = sum(n for status, n in uploads.items() if status >= 500)
    return (f"| delete racing 3 uploads of the same bytes, {rounds} rounds | uploads {dict(uploads)}, "
            f"deletes {dict(deletes)} | {errors} of {total} uploads 5xx |")


def _login(port: int) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    url = f"http://127.0.0.1:{port}/admin/login/"
    page = opener.open(url, timeout=30).read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    statuses: Counter[int] = Counter()
    started = time.monotonic()
    for i in range(30):
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf[1] if csrf else "",
                                       "username": "admin", "password": f"wrong-{i}",
                                       "next": "/admin/"}).encode()
        request = urllib.request.Request(url, data=data, headers={"Referer": url})
        try:
            with opener.open(request, timeout=30) as response:
                statuses[response.status] += 1
        except urllib.error.HTTPError as error:
            statuses[error.code] += 1
    return (f"| 30 wrong admin passwords | {dict(statuses)} | "
            f"{time.monotonic() - started:.1f} s |")


def _file_modes(var_dir: Path) -> str:
    modes = {p.name: oct(p.stat().st_mode & 0o777) for p in sorted(var_dir.glob("*.sqlite3*"))}
    return f"| SQLite files' modes | {modes} | |"


def _hung_broker() -> tuple[int, threading.Event]:
    """A listener that accepts connections and never answers; its port and a stop flag."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(0.5)
    stop = threading.Event()
    held: list[socket.socket] = []

    def serve() -> None:
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue
        for conn in held:
            conn.close()
        listener.close()

    threading.Thread(target=serve, daemon=True).start()
    return int(listener.getsockname()[1]), stop


def _broker_trouble(env: dict[str, str], token: str) -> list[str]:
    rows = []
    closed = _free_port()
    hung, stop = _hung_broker()
    try:
        for name, redis_url in (("Redis unreachable (closed port)", f"redis://127.0.0.1:{closed}/0"),
                                ("a broker that never answers", f"redis://127.0.0.1:{hung}/0")):
            port = _free_port()
            server = _server("service", port, {**env, "REDIS_URL": redis_url})
            try:
                wait_for_server(port)
                started = time.monotonic()
                status = _upload(port, _wav(seed=999), token=token)[0]
                rows.append(f"| upload with {name} | {status} | "
                            f"{time.monotonic() - started:.1f} s |")
            finally:
                server.terminate()
                server.wait(timeout=30)
    finally:
        stop.set()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("embedded", "service"), default="embedded")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    mode: Mode = args.mode
    with bench_environment(mode) as env:
        import django

        django.setup()
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.core.management import call_command

        from accounts.services import api_token_create

        call_command("migrate", verbosity=0)
        if mode == "service":  # the throttles' counters of an earlier run, same Redis
            import redis

            client = redis.Redis.from_url(env["REDIS_URL"])
            stale = [*client.scan_iter(match="*throttle*"), *client.scan_iter(match="*login-failures*")]
            if stale:
                client.delete(*stale)
        token = api_token_create(user=get_user_model().objects.create_user("bench"))
        port = _free_port()
        server = _server(mode, port, env)
        print(f"{mode}: issue 17's cases against a running server\n")
        print("| case | answers | measured |\n|---|---|---|", flush=True)
        try:
            wait_for_server(port)
            print(_oversize(port, server.pid), flush=True)
            print(_race(port, token, args.rounds), flush=True)
            print(_login(port), flush=True)
            print(_big_cover(port, server.pid, Path(settings.VAR_DIR)), flush=True)
            if mode == "service":
                print(_locked_upload(port, env["DATABASE_URL"]), flush=True)
            if mode == "embedded":
                print(_file_modes(Path(settings.VAR_DIR)), flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)
        if mode == "service":
            for row in _broker_trouble(env, token):
                print(row, flush=True)
        from django.db import connections

        connections.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
