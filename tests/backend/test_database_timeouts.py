"""PostgreSQL gives up on a held lock quickly: 503 ``db_busy`` instead of a 34 s wait (issue 17).

One lock test, run against whichever database the suite has: PostgreSQL's lock timeout in the
service-mode child run (or with ``GENRELENS_TEST_DATABASE_URL``), SQLite's busy timeout
(RELIABILITY J5) in the embedded run. Neither run skips it.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from backend_helpers import upload, wav_bytes
from django.db import connection, transaction

from catalog.models import Track
from config.settings.base import DB_LOCK_TIMEOUT_S, database_config

#: Seconds the test's other transaction holds the track's lock (longer than the lock timeout).
HOLD_S = 15.0


def test_postgresql_connections_get_lock_and_statement_timeouts() -> None:
    options = database_config("postgres://u@db.example:5432/genrelens")["OPTIONS"]["options"]
    assert "-c lock_timeout=5000" in options and "-c statement_timeout=30000" in options


@pytest.mark.django_db(transaction=True)
def test_an_upload_behind_a_held_lock_answers_503_quickly(make_user: Any, settings: Any) -> None:
    if connection.vendor == "postgresql":
        _behind_a_postgresql_row_lock(make_user)
    else:
        _behind_a_sqlite_write_lock(make_user, settings)


def _behind_a_postgresql_row_lock(make_user: Any) -> None:
    _, api = make_user("alice")
    data = wav_bytes(4.0)
    assert upload(api, data).status_code == 202
    track_id = Track.objects.get().pk
    locked, done = threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        try:
            with transaction.atomic():
                Track.objects.select_for_update().get(pk=track_id)
                locked.set()
                done.wait(HOLD_S)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        assert locked.wait(10)
        started = time.monotonic()
        response = upload(api, data)  # the same bytes: the upload locks the same track
        waited = time.monotonic() - started
    finally:
        done.set()
        holder.join()
    assert response.status_code == 503, response.content
    assert response.json()["code"] == "db_busy" and response["Retry-After"]
    assert waited < DB_LOCK_TIMEOUT_S + 3, f"{waited:.1f} s"


def _behind_a_sqlite_write_lock(make_user: Any, settings: Any) -> None:
    """Another process holds the write lock: 503 within the busy timeout, and no orphan file."""
    import sqlite3

    _, api = make_user("alice")

    # A 1 s busy timeout instead of 20 s, for this test's connections only.
    connection.close()
    connection.settings_dict["OPTIONS"] = {**connection.settings_dict["OPTIONS"], "timeout": 1}
    holder = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        started = time.monotonic()
        response = upload(api, wav_bytes(4.0))
        waited = time.monotonic() - started
    finally:
        holder.rollback()
        holder.close()
        connection.close()
        connection.settings_dict["OPTIONS"] = {**connection.settings_dict["OPTIONS"],
                                               "timeout": settings.SQLITE_OPTIONS["timeout"]}
    assert response.status_code == 503, response.content
    assert response.json()["code"] == "db_busy" and response["Retry-After"]
    assert waited < 5, f"{waited:.1f} s"
    assert not [p for p in Path(settings.UPLOAD_ROOT).rglob("*") if p.is_file()]  # no orphan
    assert upload(api, wav_bytes(4.0)).status_code == 202  # the lock gone, uploads go on
