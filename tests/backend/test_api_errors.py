"""Bad requests that used to answer 500 or HTML now get the JSON error shape (issue 17)."""

from __future__ import annotations

from typing import Any

import pytest
from backend_helpers import upload, wav_bytes
from rest_framework.test import APIClient

from catalog.models import Track

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", [
    "/api/analyses/not-a-uuid/", "/api/analyses/not-a-uuid/events/", "/api/tracks/not-a-uuid/",
    "/api/tracks/not-a-uuid/audio/", "/api/artists/abc/", "/api/artists/26748656054206783488/",
])
def test_malformed_ids_are_json_404(anon: APIClient, path: str) -> None:
    response = anon.get(path)
    assert response.status_code == 404
    assert response.json() == {"message": "Not found.", "code": "not_found", "extra": {}}


def test_post_to_the_event_stream_is_json_405_not_a_csrf_page(anon: APIClient) -> None:
    pk = upload(anon, wav_bytes(4.0)).json()["id"]
    browser = APIClient(enforce_csrf_checks=True)  # as a browser would: CSRF middleware on
    response = browser.post(f"/api/analyses/{pk}/events/")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "method_not_allowed"


def test_event_stream_answers_an_event_source_accept_header(anon: APIClient,
                                                           settings: Any) -> None:
    settings.SSE_MAX_SECONDS = 0.2
    pk = upload(anon, wav_bytes(4.0)).json()["id"]
    response = anon.get(f"/api/analyses/{pk}/events/", HTTP_ACCEPT="text/event-stream")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/event-stream"
    assert b"event: progress" in b"".join(response.streaming_content)


def test_audio_answers_an_audio_element_accept_header(anon: APIClient) -> None:
    data = wav_bytes(4.0)
    upload(anon, data)
    track = Track.objects.get()
    response = anon.get(f"/api/tracks/{track.pk}/audio/", HTTP_ACCEPT="audio/*",
                        HTTP_RANGE="bytes=0-3")
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == data[:4]
