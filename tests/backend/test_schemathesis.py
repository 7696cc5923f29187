"""Schemathesis over every operation of the OpenAPI schema (issue 17 case 7).

Each operation gets generated requests, valid and invalid, sent to the real WSGI application in
this process; every check schemathesis has must pass: no 5xx, every status and body documented.
Runs as the embedded default (open reads, anonymous uploads) and as a private library (service
mode's settings: a token for writes and reads), and in the service-mode rerun of the backend
suite on PostgreSQL and Redis (``test_service_mode.py``), so both modes are covered.

Bounded and deterministic: ``EXAMPLES`` requests an operation and mode at most, from
Hypothesis' derandomised generator (the same requests every run).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, Phase, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from config.wsgi import application

#: Generated requests per operation and mode (``GENRELENS_SCHEMATHESIS_EXAMPLES`` for a longer
#: run by hand; docs/reliability.md has one).
EXAMPLES = int(os.environ.get("GENRELENS_SCHEMATHESIS_EXAMPLES", "25"))
#: Uploads whose bytes are valid for the schema (any binary) but are not audio: the schema cannot
#: say "decodable audio", so their refusal (415, 422) is right and only this check is skipped.
AUDIO_BODIES = ("POST /api/analyses/", "POST /api/analyses/batch/")
_PRIVATE = {"REQUIRE_AUTH_FOR_UPLOAD": True, "PUBLIC_LIBRARY": False}

embedded = schemathesis.openapi.from_wsgi("/api/schema/", application)
with override_settings(**_PRIVATE):
    private = schemathesis.openapi.from_wsgi("/api/schema/", application)
_SETTINGS = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                     phases=[Phase.explicit, Phase.generate],
                     suppress_health_check=list(HealthCheck))


@pytest.fixture
def same_connection(taxonomy: Any) -> Iterator[None]:
    """Keep the test's database connection across requests (its transaction holds the rows).

    A WSGI server closes old connections around each request; Django's test client skips that,
    and so must these requests, which go to the application directly.
    """
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def _validate(case: Any, headers: dict[str, str]) -> None:
    skipped = [positive_data_acceptance] if case.operation.label in AUDIO_BODIES else []
    case.call_and_validate(headers=headers, excluded_checks=skipped)


@embedded.parametrize()
@_SETTINGS
def test_the_embedded_default_keeps_its_contract(case: Any, same_connection: None) -> None:
    _validate(case, {})


@pytest.fixture
def private_headers(settings: Any, make_user: Any) -> dict[str, str]:
    """Service mode's library settings, and the headers of a signed-in user."""
    for name, value in _PRIVATE.items():
        setattr(settings, name, value)
    _, api = make_user("fuzz")
    return {"Authorization": api._credentials["HTTP_AUTHORIZATION"]}


@private.parametrize()
@_SETTINGS
def test_a_private_library_keeps_its_contract(case: Any, same_connection: None,
                                              private_headers: dict[str, str]) -> None:
    _validate(case, private_headers)
