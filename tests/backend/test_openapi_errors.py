"""The OpenAPI schema documents the errors the API answers, and ``page`` is validated (issue 17,
case 7: schemathesis found no 4xx documented at all and a 404 "Invalid page").

Each error below is provoked for real; its status must be documented for its operation, with
the ``ApiError`` body where it has one.
"""

from __future__ import annotations

from typing import Any

import pytest
from backend_helpers import png_bytes, upload, wav_bytes
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from analyses.streams import stream_slots

pytestmark = pytest.mark.django_db

MISSING = "00000000-0000-0000-0000-000000000000"


@pytest.fixture(scope="module")
def schema(django_db_blocker: Any) -> dict[str, Any]:
    with django_db_blocker.unblock():
        return dict(SchemaGenerator().get_schema(request=None, public=True))


def _documented(schema: dict[str, Any], method: str, template: str, response: Any) -> None:
    """``response``'s status is documented for the operation, with the error body if it has one."""
    operation = schema["paths"][template][method]
    status = str(response.status_code)
    assert status in operation["responses"], (method, template, status)
    content = operation["responses"][status].get("content", {})
    if response.content:
        body = response.json()
        assert set(body) == {"message", "code", "extra"}, body
        assert content["application/json"]["schema"]["$ref"].endswith("/ApiError")


def test_every_operation_documents_auth_busy_and_missing(schema: dict[str, Any]) -> None:
    for template, operations in schema["paths"].items():
        for method, operation in operations.items():
            if template.startswith(("/api/schema", "/api/docs")):
                continue
            responses = operation["responses"]
            assert {"401", "503"} <= set(responses), (method, template)
            if "{" in template:
                assert "404" in responses, (method, template)


def test_errors_the_api_answers_are_documented(schema: dict[str, Any], anon: APIClient,
                                               make_user: Any, settings: Any) -> None:
    pk = upload(anon, wav_bytes(4.0)).json()["id"]
    track = anon.get(f"/api/analyses/{pk}/").json()["track"]["id"]
    cases = [
        ("get", "/api/analyses/", anon.get("/api/analyses/?page=0"), 400),
        ("get", "/api/tracks/", anon.get("/api/tracks/?page=x"), 400),
        ("get", "/api/tracks/", anon.get("/api/tracks/?bpm_min=fast"), 400),
        ("get", "/api/artists/", anon.get("/api/artists/?page=3"), 404),
        ("get", "/api/analyses/{id}/", anon.get(f"/api/analyses/{MISSING}/"), 404),
        ("delete", "/api/analyses/{id}/", anon.delete(f"/api/analyses/{pk}/"), 401),
        ("get", "/api/tracks/{id}/", anon.get(f"/api/tracks/{MISSING}/"), 404),
        ("get", "/api/tracks/{id}/audio/",
         anon.get(f"/api/tracks/{track}/audio/", HTTP_RANGE="bytes=999999999-"), 416),
        ("get", "/api/genres/{slug}/", anon.get("/api/genres/no-such-genre/"), 404),
        ("post", "/api/analyses/", upload(anon, png_bytes(), name="x.mp3"), 415),
        ("post", "/api/analyses/", upload(anon, wav_bytes(1.0, seed=5)), 422),
        ("post", "/api/analyses/", anon.post("/api/analyses/", {}, format="multipart"), 400),
        ("post", "/api/analyses/batch/", anon.post("/api/analyses/batch/", {},
                                                   format="multipart"), 400),
    ]
    bad_token = APIClient()
    bad_token.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    cases.append(("get", "/api/genres/", bad_token.get("/api/genres/"), 401))
    csrf = APIClient(enforce_csrf_checks=True)
    user, _ = make_user("alice")
    csrf.force_login(user)
    cases.append(("delete", "/api/analyses/{id}/", csrf.delete(f"/api/analyses/{pk}/"), 403))
    settings.PUBLIC_LIBRARY = False
    cases.append(("get", "/api/tracks/", anon.get("/api/tracks/"), 401))
    with override_settings(MAX_UPLOAD_BYTES=1000):
        cases.append(("post", "/api/analyses/", upload(anon, wav_bytes(4.0, seed=6)), 413))
    settings.PUBLIC_LIBRARY = True
    with override_settings(SSE_MAX_STREAMS_PER_CLIENT=0):
        cases.append(("get", "/api/analyses/{id}/events/", anon.get(f"/api/analyses/{pk}/events/"),
                      429))
    assert stream_slots.open_count() == 0
    for method, template, response, expected in cases:
        assert response.status_code == expected, (method, template, response.content[:300])
        _documented(schema, method, template, response)


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "²", "9" * 40])
def test_a_malformed_page_is_400_naming_the_pages(anon: APIClient, page: str) -> None:
    response = anon.get("/api/analyses/", {"page": page})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_parameter"
    assert response.json()["extra"] == {"last_page": 1}


def test_a_page_past_the_last_is_404_naming_the_pages(anon: APIClient) -> None:
    response = anon.get("/api/analyses/", {"page": "2"})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert response.json()["extra"] == {"last_page": 1}


def test_the_first_page_of_an_empty_list_is_empty(anon: APIClient) -> None:
    response = anon.get("/api/analyses/", {"page": "1"})
    assert response.status_code == 200 and response.json()["results"] == []
