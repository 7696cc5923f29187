"""The SQLite database and its WAL files readable by their owner only (0600).

They hold every user's uploads' metadata and the API token digests; created under the default
umask (022) they were 0644, readable by every local account.
"""

from __future__ import annotations

import os
from contextlib import suppress
from typing import Any

__all__ = ["DATABASE_FILE_MODE", "sqlite_files_private"]

#: Mode of the SQLite database, its ``-wal`` and its ``-shm`` file.
DATABASE_FILE_MODE = 0o600


def sqlite_files_private(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: chmod the database files of a new SQLite connection.

    Runs on every new connection (three ``chmod`` calls), so files made by an older version or
    by hand are fixed too. SQLite creates ``-wal`` and ``-shm`` with the database file's mode,
    but they may predate this; an in-memory database has no files and is skipped.
    """
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict["NAME"])
    for path in (name, f"{name}-wal", f"{name}-shm"):
        with suppress(FileNotFoundError, NotADirectoryError):
            os.chmod(path, DATABASE_FILE_MODE)
