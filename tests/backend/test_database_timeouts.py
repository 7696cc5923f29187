"""PostgreSQL gives up on a held lock quickly: 503 ``db_busy`` instead of a 34 s wait (issue 17).

The lock test needs the real PostgreSQL: it runs in the service-mode child run (or with
``GENRELENS_TEST_DATABASE_URL``) and is skipped, saying so, on SQLite, whose busy timeout is
the A5 option tested elsewhere.
"""

from __future__ import annotations

import threading
import time
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
def test_an_upload_behind_a_held_lock_answers_503_quickly(make_user: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (GENRELENS_TEST_DATABASE_URL); SQLite has its busy timeout")
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
