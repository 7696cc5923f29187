"""Labels (confirm or correct a track's genre) and the personal layer they teach."""

from __future__ import annotations

from typing import Any

import pytest
from backend_helpers import sample_result

pytestmark = pytest.mark.django_db

PEAK = ("peak-time-techno", "Peak Time Techno", "techno")
HARD = ("hard-techno", "Hard Techno", "techno")
DUB = ("dub-techno", "Dub Techno", "techno")


def _profile(peak: float, hard: float) -> dict[str, Any]:
    return sample_result([(*PEAK, peak), (*HARD, hard), (*DUB, 1.0 - peak - hard)])


def _label(client: Any, track: Any, genre: str) -> Any:
    return client.put(f"/api/tracks/{track.pk}/label/", {"genre": genre}, format="json")


@pytest.fixture
def crates(taxonomy: Any, make_scored_track: Any) -> dict[str, Any]:
    # The shipped model calls every one of them mostly peak-time techno; the user files those
    # with a larger hard-techno share under hard techno.
    return {
        "p1": make_scored_track("P1", _profile(0.7, 0.1)),
        "p2": make_scored_track("P2", _profile(0.65, 0.12)),
        "h1": make_scored_track("H1", _profile(0.5, 0.45)),
        "h2": make_scored_track("H2", _profile(0.52, 0.4)),
        "new": make_scored_track("New", _profile(0.5, 0.42)),
    }


def test_corrections_change_the_personal_answer(anon: Any, crates: dict[str, Any]) -> None:
    url = f"/api/tracks/{crates['new'].pk}/personal/"
    before = anon.get(url).json()
    assert before["label"] is None and before["genres"] is None
    assert before["evaluation"] == {"labels": 0, "genres": 0, "accuracy": None,
                                    "shipped_accuracy": None}
    assert before["min_genres"] == 2

    assert _label(anon, crates["p1"], "peak-time-techno").status_code == 200  # a confirmation
    answer = _label(anon, crates["h1"], "hard-techno").json()  # a correction
    assert answer["label"] == {"slug": "hard-techno", "name": "Hard Techno", "family": "techno"}
    _label(anon, crates["p2"], "peak-time-techno")
    _label(anon, crates["h2"], "hard-techno")

    after = anon.get(url).json()
    assert [g["slug"] for g in after["genres"]] == ["hard-techno", "peak-time-techno"]
    assert sum(g["probability"] for g in after["genres"]) == pytest.approx(1.0)
    evaluation = after["evaluation"]
    assert evaluation["labels"] == 4 and evaluation["genres"] == 2
    assert evaluation["shipped_accuracy"] == 0.5  # right on the two peak-time confirmations
    assert evaluation["accuracy"] == 1.0


def test_a_label_is_taken_back_with_delete(anon: Any, crates: dict[str, Any]) -> None:
    _label(anon, crates["p1"], "peak-time-techno")
    response = anon.delete(f"/api/tracks/{crates['p1'].pk}/label/")
    assert response.status_code == 200 and response.json()["label"] is None
    crates["p1"].refresh_from_db()
    assert crates["p1"].label is None and crates["p1"].labelled_at is None


@pytest.mark.parametrize(("body", "code"), [({"genre": "no-such-genre"}, "invalid_parameter"),
                                            ({}, "invalid_parameter"),
                                            ({"genre": "a b"}, "invalid_parameter")])
def test_bad_labels_are_400(anon: Any, crates: dict[str, Any], body: Any, code: str) -> None:
    response = anon.put(f"/api/tracks/{crates['p1'].pk}/label/", body, format="json")
    assert response.status_code == 400 and response.json()["code"] == code


def test_only_the_owner_labels_and_each_user_has_their_own_layer(
        settings: Any, anon: Any, make_user: Any, taxonomy: Any, make_scored_track: Any) -> None:
    settings.REQUIRE_AUTH_FOR_UPLOAD = True
    alice, alice_api = make_user("alice")
    _, bob_api = make_user("bob")
    track = make_scored_track("Alice's", _profile(0.6, 0.2), owner=alice)
    assert anon.put(f"/api/tracks/{track.pk}/label/", {"genre": "hard-techno"},
                    format="json").status_code == 401
    # Bob may read it in a public library, but it is not his to label: the same 404 as missing.
    settings.PUBLIC_LIBRARY = True
    assert _label(bob_api, track, "hard-techno").status_code == 404
    assert _label(alice_api, track, "hard-techno").status_code == 200
    assert bob_api.get(f"/api/tracks/{track.pk}/personal/").json()["evaluation"]["labels"] == 0
    assert alice_api.get(f"/api/tracks/{track.pk}/personal/").json()["evaluation"]["labels"] == 1
