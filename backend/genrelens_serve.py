"""Embedded mode in one command: database, genres, one Celery worker and the web server.

``python backend/genrelens_serve.py [--host H] [--port P]`` (what ``scripts/run.sh`` runs):

1. applies migrations to the SQLite database under ``var/`` (``GENRELENS_VAR_DIR``),
2. loads the genre taxonomy (idempotent) and sweeps jobs and files left by an earlier run,
3. starts one ``celery worker -B`` subprocess on the filesystem broker (beat runs the sweeper),
   running ``--workers`` analyses at once (one unless told),
4. serves the API, the static files and the built front end with waitress,
5. prints the URL and stays up until Ctrl-C or SIGTERM, which stop the server and the worker.

With ``DATABASE_URL``/``REDIS_URL`` set the same command runs against the services, but service
deployments use gunicorn and separately managed workers instead (docs/deploy.md).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "DEFAULT_WORKERS", "WEB_THREADS", "WORKER_STOP_GRACE_S",
           "main"]

BACKEND_DIR = Path(__file__).resolve().parent
#: Where the server listens unless told otherwise (loopback only: nothing is exposed).
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: Analyses the embedded worker runs at once: each takes one core (numpy and the networks run on
#: one thread, config/celery.py) and up to about 0.6 GB. Two did a folder 1.67x as fast as one on
#: the two-core machine (docs/benchmarks.md), but with two, "sounds like" on a track analysed
#: beside another missed that other track in 2 of 5 end-to-end runs (not yet explained), so one
#: stays the default until that is.
DEFAULT_WORKERS = 1
#: Request threads of the web server; each open progress stream (SSE) holds one.
WEB_THREADS = 16
#: Seconds the worker gets to finish its current job on shutdown before it is killed.
WORKER_STOP_GRACE_S = 20.0
# Seconds between checks that the worker is still alive (it is restarted if not).
_WATCH_INTERVAL_S = 2.0


def _say(message: str) -> None:
    print(f"[genrelens] {message}", flush=True)


class _Worker:
    """The Celery worker subprocess, restarted if it dies, stopped gracefully on shutdown."""

    def __init__(self, var_dir: Path, *, processes: int) -> None:
        self.processes = processes
        self.command = [
            sys.executable, "-m", "celery", "-A", "config", "worker", "-B",
            "-s", str(var_dir / "celerybeat-schedule"), "--concurrency", str(processes),
            "--loglevel", "INFO", "-n", "embedded@%h", "--without-gossip", "--without-mingle",
        ]
        self.process: subprocess.Popen[bytes] | None = None
        self.stopping = threading.Event()

    def start(self) -> None:
        # Its own session: the terminal's Ctrl-C reaches only us, and we stop it in order.
        self.process = subprocess.Popen(self.command, cwd=BACKEND_DIR, start_new_session=True)
        _say(f"worker started (pid {self.process.pid}; {self.processes} analyses at once)")

    def watch(self) -> None:
        while not self.stopping.wait(_WATCH_INTERVAL_S):
            if self.process is not None and self.process.poll() is not None:
                _say(f"the worker exited with {self.process.returncode}; restarting it")
                self.start()

    def stop(self) -> None:
        self.stopping.set()
        if self.process is None or self.process.poll() is not None:
            return
        # Warm shutdown: the main process finishes the current job and stops its pool children.
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=WORKER_STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            _say("the worker did not stop in time; killing it (its job will be re-queued)")
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Run GenreLens on this machine until interrupted; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("GENRELENS_HOST", DEFAULT_HOST))
    parser.add_argument("--port", type=int,
                        default=int(os.environ.get("GENRELENS_PORT", DEFAULT_PORT)))
    parser.add_argument("--no-worker", action="store_true",
                        help="serve only (workers run elsewhere)")
    parser.add_argument("--workers", type=int,
                        default=int(os.environ.get("GENRELENS_WORKERS", DEFAULT_WORKERS)),
                        help=f"analyses at once (default {DEFAULT_WORKERS}; GENRELENS_WORKERS)")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error(f"--workers must be at least 1, got {args.workers}")

    sys.path.insert(0, str(BACKEND_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from waitress import create_server

    from analyses.jobs import analysis_sweep
    from catalog.sweep import storage_sweep
    from config.wsgi import application

    _say(f"data directory: {settings.VAR_DIR}")
    call_command("migrate", interactive=False, verbosity=0)
    if settings.TAXONOMY_PATH.is_file():
        call_command("load_genres")
    else:
        _say(f"no taxonomy at {settings.TAXONOMY_PATH}; the genre pages stay empty")
    _say(f"jobs left by an earlier run: {analysis_sweep()}")
    _say(f"files left by an earlier run: {storage_sweep()}")

    worker = _Worker(Path(settings.VAR_DIR), processes=args.workers)
    if not args.no_worker:
        worker.start()
        threading.Thread(target=worker.watch, name="worker-watch", daemon=True).start()
    server = create_server(application, host=args.host, port=args.port, threads=WEB_THREADS,
                           ident="genrelens")
    signal.signal(signal.SIGTERM, _interrupt)
    _say(f"GenreLens is running at http://{args.host}:{server.effective_port}/ "
         "(API docs at /api/docs/); press Ctrl-C to stop")
    try:
        server.run()  # returns on Ctrl-C (waitress catches KeyboardInterrupt)
    finally:
        _say("stopping")
        server.close()
        started = time.monotonic()
        worker.stop()
        _say(f"stopped (worker took {time.monotonic() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
