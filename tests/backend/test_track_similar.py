"""GET /api/tracks/<id>/similar/: nearest by sound and genre profile, BPM and key filters, scope."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from backend_helpers import sample_result

pytestmark = pytest.mark.django_db

DEEP = ("deep-house", "Deep House", "house")
TECH = ("tech-house", "Tech House", "house")
DUB = ("dub-techno", "Dub Techno", "techno")


@pytest.fixture
def library(taxonomy: Any, make_scored_track: Any) -> dict[str, Any]:
    def make(title: str, genres: list[Any], bpm: float, camelot: str) -> Any:
        return make_scored_track(title, sample_result(genres, bpm=bpm, camelot=camelot))

    return {
        "seed": make("Seed", [(*DEEP, 0.8), (*TECH, 0.2)], 122.0, "8A"),
        "twin": make("Twin", [(*DEEP, 0.75), (*TECH, 0.25)], 135.0, "3A"),
        "near": make("Near", [(*DEEP, 0.6), (*TECH, 0.4)], 124.0, "9A"),
        "far": make("Far", [(*DUB, 0.9), (*TECH, 0.1)], 121.0, "8B"),
    }


def _similar(anon: Any, track: Any, query: str = "") -> list[tuple[str, float]]:
    response = anon.get(f"/api/tracks/{track.pk}/similar/?{query}")
    assert response.status_code == 200, response.content
    return [(t["title"], t["similarity"]) for t in response.json()["tracks"]]


def test_closest_genre_profile_first(anon: Any, library: Any) -> None:
    # No musicnn embedding stored: the genre profiles alone decide, by Hellinger affinity.
    found = _similar(anon, library["seed"])
    assert [title for title, _ in found] == ["Twin", "Near", "Far"]
    twin = np.sqrt(0.8 * 0.75) + np.sqrt(0.2 * 0.25)
    assert found[0][1] > found[1][1] > found[2][1] >= 0 and found[0][1] == pytest.approx(twin, abs=1e-3)


def test_the_sound_decides_between_equal_genre_profiles(anon: Any, taxonomy: Any,
                                                        make_scored_track: Any) -> None:
    def make(title: str, embedding: list[float]) -> Any:
        result = {**sample_result([(*DEEP, 0.7), (*TECH, 0.3)]),
                  "sound": {"models": ["msd"], "embedding": embedding}}
        return make_scored_track(title, result)

    seed = make("Seed", [1.0, 0.0, 0.2])
    make("Alike", [0.9, 0.1, 0.2])
    make("Other", [0.0, 1.0, 0.2])
    make("Third", [0.1, 0.1, 1.0])
    assert [title for title, _ in _similar(anon, seed)] == ["Alike", "Third", "Other"]


def test_bpm_and_compatible_key_filters(anon: Any, library: Any) -> None:
    assert [t for t, _ in _similar(anon, library["seed"], "bpm_tolerance=3")] == ["Near", "Far"]
    assert [t for t, _ in _similar(anon, library["seed"], "compatible_key=true")] == ["Near", "Far"]
    assert [t for t, _ in _similar(anon, library["seed"], "bpm_tolerance=1.5&compatible_key=1")] == ["Far"]


@pytest.mark.parametrize("query", ["bpm_tolerance=wide", "compatible_key=maybe"])
def test_bad_parameters_are_400(anon: Any, library: Any, query: str) -> None:
    response = anon.get(f"/api/tracks/{library['seed'].pk}/similar/?{query}")
    assert response.status_code == 400 and response.json()["code"] == "invalid_parameter"


def test_private_library_keeps_others_tracks_out(settings: Any, taxonomy: Any, make_user: Any,
                                                 make_scored_track: Any, anon: Any) -> None:
    settings.PUBLIC_LIBRARY = False
    alice, alice_api = make_user("alice")
    bob, bob_api = make_user("bob")
    mine = make_scored_track("Mine", sample_result([(*DEEP, 0.9)]), owner=alice)
    make_scored_track("Also mine", sample_result([(*DEEP, 0.8)]), owner=alice)
    make_scored_track("Bob's", sample_result([(*DEEP, 0.9)]), owner=bob)
    assert [t["title"] for t in alice_api.get(f"/api/tracks/{mine.pk}/similar/").json()["tracks"]] == [
        "Also mine"]
    assert bob_api.get(f"/api/tracks/{mine.pk}/similar/").status_code == 404


def test_the_next_query_finds_the_library_as_it_is_now(anon: Any, library: Any,
                                                       make_scored_track: Any) -> None:
    # The vectors are kept between queries (catalog.similarity); a change must show at once.
    assert [t for t, _ in _similar(anon, library["seed"])] == ["Twin", "Near", "Far"]
    make_scored_track("Clone", sample_result([(*DEEP, 0.8), (*TECH, 0.2)], bpm=122.0))
    assert [t for t, _ in _similar(anon, library["seed"])] == ["Clone", "Twin", "Near", "Far"]
    library["twin"].delete()
    assert [t for t, _ in _similar(anon, library["seed"])] == ["Clone", "Near", "Far"]
    library["near"].analyses.update(is_current=False)
    assert [t for t, _ in _similar(anon, library["seed"])] == ["Clone", "Far"]


def test_a_repeated_query_reads_no_genre_scores(anon: Any, library: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        _similar(anon, library["seed"])
    with CaptureQueriesContext(connection) as second:
        assert [t for t, _ in _similar(anon, library["near"])] == ["Twin", "Seed", "Far"]
    assert any("analyses_genrescore" in q["sql"] for q in first.captured_queries)
    assert not any("analyses_genrescore" in q["sql"] for q in second.captured_queries)
