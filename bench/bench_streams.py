"""Health-check latency while many progress streams are open (issue 17, case 5).

``python bench/bench_streams.py [--streams 50] [--checks 40] [--per-client N] [--per-process N]``

Starts the embedded server (``backend/genrelens_serve.py --no-worker``: waitress, 16 threads,
SQLite) in a throw-away data dir, uploads one file (no worker runs, so its job stays queued and
every stream of it stays open), opens ``--streams`` raw ``/api/analyses/<id>/events/``
connections from loopback and holds them, then times ``--checks`` sequential
``GET /api/health/ready``. Prints how many streams were served (200) and refused (429), and the
health check's p50, p99 and max. ``--per-client``/``--per-process`` set the stream caps
(``GENRELENS_SSE_MAX_STREAMS_PER_CLIENT``/``GENRELENS_SSE_MAX_STREAMS``); raise both above
``--streams`` to see the server without them.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import closing
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from webbench import BACKEND_DIR, bench_environment  # noqa: E402

__all__ = ["main"]

#: Longest wait for the server to start [seconds].
START_LIMIT_S = 120.0
#: Longest wait for a health check, and for a stream's status line [seconds].
CHECK_TIMEOUT_S = 10.0
STREAM_STATUS_TIMEOUT_S = 5.0


def _free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wav() -> bytes:
    import io

    import numpy as np
    import soundfile as sf

    t = np.arange(22050 * 5) / 22050
    buffer = io.BytesIO()
    sf.write(buffer, (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32), 22050, format="WAV")
    return buffer.getvalue()


def _upload(base: str) -> str:
    boundary = "bench-streams"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n'
            "Content-Type: audio/wav\r\n\r\n").encode() + _wav() + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(f"{base}/api/analyses/", data=body, method="POST",
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return str(json.loads(response.read())["id"])


def _open_stream(port: int, path: str) -> tuple[int, socket.socket]:
    """Open one stream; its HTTP status (0: no answer in time) and the socket."""
    client = socket.create_connection(("127.0.0.1", port), timeout=STREAM_STATUS_TIMEOUT_S)
    client.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
                   .encode())
    head = b""
    try:
        while b"\r\n" not in head:
            chunk = client.recv(1024)
            if not chunk:
                break
            head += chunk
    except TimeoutError:
        return 0, client  # queued behind busy threads: held open like the others
    return int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0, client


def _health(base: str) -> float:
    """Seconds one health check took; ``inf`` when it got no answer within CHECK_TIMEOUT_S."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(f"{base}/api/health/ready", timeout=CHECK_TIMEOUT_S) as response:
            response.read()
    except (TimeoutError, OSError):
        return float("inf")
    return time.perf_counter() - started


def _ms(seconds: float) -> str:
    return "-" if seconds == float("inf") else f"{seconds * 1000:.0f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=50)
    parser.add_argument("--checks", type=int, default=40)
    parser.add_argument("--per-client", type=int, default=None)
    parser.add_argument("--per-process", type=int, default=None)
    args = parser.parse_args(argv)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with bench_environment("embedded") as env:
        if args.per_client is not None:
            env["GENRELENS_SSE_MAX_STREAMS_PER_CLIENT"] = str(args.per_client)
        if args.per_process is not None:
            env["GENRELENS_SSE_MAX_STREAMS"] = str(args.per_process)
        log = Path(env["GENRELENS_VAR_DIR"]) / "serve.log"
        with log.open("wb") as out:
            server = subprocess.Popen([sys.executable, str(BACKEND_DIR / "genrelens_serve.py"),
                                       "--port", str(port), "--no-worker"], env=env,
                                      stdout=out, stderr=subprocess.STDOUT)
        streams: list[socket.socket] = []
        try:
            deadline = time.monotonic() + START_LIMIT_S
            while "running at" not in log.read_text(errors="replace"):
                if time.monotonic() > deadline or server.poll() is not None:
                    print(log.read_text(errors="replace")[-3000:])
                    return 1
                time.sleep(0.2)
            pk = _upload(base)
            idle = [_health(base) for _ in range(args.checks)]
            statuses: dict[int, int] = {}
            for _ in range(args.streams):
                code, client = _open_stream(port, f"/api/analyses/{pk}/events/")
                statuses[code] = statuses.get(code, 0) + 1
                if code == 429:
                    client.close()
                else:
                    streams.append(client)
            held = [_health(base) for _ in range(args.checks)]
        finally:
            for client in streams:
                client.close()
            server.terminate()
            server.wait(timeout=60)
    print(f"{args.streams} streams asked: " + ", ".join(
        f"{n} x {code or 'no answer'}" for code, n in sorted(statuses.items())))
    print("| health check | p50 | p99 | max | no answer in 10 s |\n|---|---|---|---|---|")
    for name, times in (("no stream open", idle), (f"{len(streams)} streams held", held)):
        ranked = sorted(times)
        p99 = ranked[min(len(ranked) - 1, int(0.99 * len(ranked)))]
        print(f"| {name} | {_ms(statistics.median(ranked))} | {_ms(p99)} | {_ms(ranked[-1])} "
              f"| {sum(t == float('inf') for t in ranked)} of {len(ranked)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
