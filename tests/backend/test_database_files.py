"""The SQLite database and its WAL files are created 0600 (issue 17: they were 0644)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from backend_helpers import BACKEND_DIR

pytestmark = pytest.mark.slow

# Migrates a fresh embedded database, then reports the modes while a connection holds it open
# (closing the last connection removes -wal and -shm).
_SCRIPT = """
import os, stat, django
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", interactive=False, verbosity=0)
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM django_migrations")
name = connection.settings_dict["NAME"]
for path in (name, name + "-wal", name + "-shm"):
    print(os.path.basename(path), oct(stat.S_IMODE(os.stat(path).st_mode)))
"""


def _modes(var: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GENRELENS_", "DATABASE"))}
    clean.update(DJANGO_SETTINGS_MODULE="config.settings.base", GENRELENS_VAR_DIR=str(var),
                 PYTHONPATH=os.pathsep.join(sys.path), DJANGO_SECRET_KEY="x" * 50)
    clean.pop("REDIS_URL", None)
    done = subprocess.run([sys.executable, "-c", _SCRIPT], cwd=BACKEND_DIR, env=clean,
                          capture_output=True, text=True, timeout=120, check=False,
                          preexec_fn=lambda: os.umask(0o022))
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(line.split() for line in done.stdout.splitlines())


def test_a_new_database_and_its_wal_are_owner_only(tmp_path: Path) -> None:
    assert _modes(tmp_path / "var") == {"genrelens.sqlite3": "0o600",
                                        "genrelens.sqlite3-wal": "0o600",
                                        "genrelens.sqlite3-shm": "0o600"}


def test_an_older_world_readable_database_is_fixed(tmp_path: Path) -> None:
    var = tmp_path / "var"
    _modes(var)
    database = var / "genrelens.sqlite3"
    database.chmod(0o644)
    assert stat.S_IMODE(database.stat().st_mode) == 0o644
    assert set(_modes(var).values()) == {"0o600"}
