"""GET /api/tracks/ (filters, ordering, bad parameters), track detail, audio ranges, artists."""

from __future__ import annotations

from typing import Any

import pytest
from backend_helpers import sample_result

pytestmark = pytest.mark.django_db

DEEP = ("deep-house", "Deep House", "house")
TECH = ("tech-house", "Tech House", "house")
DUB = ("dub-techno", "Dub Techno", "techno")


@pytest.fixture
def library(taxonomy: Any, make_scored_track: Any) -> dict[str, Any]:
    return {
        "a": make_scored_track("Alpha", sample_result([(*DEEP, 0.7), (*DUB, 0.3)], bpm=120.0,
                                                      camelot="8A", energy=5),
                               artist="Kerri Chandler"),
        "b": make_scored_track("Bravo", sample_result([(*TECH, 0.6), (*DEEP, 0.15),
                                                       (*DUB, 0.25)], bpm=126.0, camelot="9B",
                                                      key="D major", energy=8, unsure=True),
                               artist="kerri chandler"),
        "c": make_scored_track("Charlie", sample_result([(*DUB, 0.95), (*DEEP, 0.05)], bpm=118.0,
                                                        camelot="8A", energy=3)),
    }


def _titles(anon: Any, query: str) -> list[str]:
    response = anon.get(f"/api/tracks/?{query}")
    assert response.status_code == 200, response.content
    return [t["title"] for t in response.json()["results"]]


def test_list_item_shape(anon: Any, library: Any) -> None:
    body = anon.get("/api/tracks/?ordering=title").json()
    assert body["count"] == 3 and body["next"] is None and body["previous"] is None
    item = body["results"][0]
    assert item["title"] == "Alpha"
    assert item["artist"]["name"] == "Kerri Chandler"
    assert item["bpm"] == 120.0 and item["key"] == "A minor" and item["camelot"] == "8A"
    assert item["top_genre"] == {"slug": "deep-house", "name": "Deep House", "family": "house",
                                 "probability": 0.7}
    assert item["family"] == {"slug": "house", "name": "House"}
    assert item["unsure"] is False
    assert item["analysis_id"] is not None
    assert set(item) == {"id", "title", "artist", "album", "year", "duration_s", "bpm", "key",
                         "camelot", "energy", "top_genre", "family", "unsure", "analysis_id",
                         "created_at"}


@pytest.mark.parametrize(("query", "expected"), [
    ("genre=deep-house", ["Alpha", "Bravo"]),  # top genre, or >= 0.1 in the breakdown
    ("genre=dub-techno", ["Alpha", "Bravo", "Charlie"]),
    ("genre=tech-house", ["Bravo"]),
    ("family=techno", ["Charlie"]),
    ("family=house", ["Alpha", "Bravo"]),
    ("bpm_min=119&bpm_max=125", ["Alpha"]),
    ("bpm_min=119", ["Alpha", "Bravo"]),
    ("key=8a", ["Alpha", "Charlie"]),
    ("search=chandler", ["Alpha", "Bravo"]),
    ("search=CHAR", ["Charlie"]),
    ("genre=deep-house&key=9B", ["Bravo"]),
    ("key=9B", ["Bravo"]),
    ("key=8B&mixable=true", ["Alpha", "Bravo", "Charlie"]),  # 8A relative, 9B one step
    ("key=7A&mixable=true", ["Alpha", "Charlie"]),
    ("key=7A&mixable=false", []),
    ("energy_min=5", ["Alpha", "Bravo"]),
    ("energy_min=4&energy_max=6", ["Alpha"]),
    ("unsure=true", ["Bravo"]),
    ("unsure=false", ["Alpha", "Charlie"]),
    ("unsure=", ["Alpha", "Bravo", "Charlie"]),
])
def test_filters(anon: Any, library: Any, query: str, expected: list[str]) -> None:
    assert _titles(anon, f"{query}&ordering=title") == expected


def test_artist_filter(anon: Any, library: Any) -> None:
    artist_id = library["a"].artist_id
    assert library["b"].artist_id == artist_id  # tags differing only in case: one artist
    assert _titles(anon, f"artist={artist_id}&ordering=title") == ["Alpha", "Bravo"]


def test_ids_filter_keeps_a_selection(anon: Any, library: Any) -> None:
    ids = f"{library['c'].pk},{str(library['a'].pk).upper()},{library['c'].pk}"
    assert _titles(anon, f"ids={ids}&ordering=title") == ["Alpha", "Charlie"]
    export = anon.get(f"/api/tracks/export/?format=csv&ids={library['b'].pk}")
    assert export.status_code == 200
    assert [line.split(",")[0] for line in export.content.decode().splitlines()[1:]] == ["Bravo"]


def test_every_matching_id_in_the_lists_order(anon: Any, library: Any) -> None:
    body = anon.get("/api/tracks/ids/?family=techno&ordering=bpm").json()
    assert body == {"count": 1, "ids": [str(library["c"].pk)], "truncated": False}
    body = anon.get("/api/tracks/ids/?ordering=-bpm").json()
    assert body["ids"] == [str(library[k].pk) for k in "bac"] and body["count"] == 3
    assert anon.get("/api/tracks/ids/?ordering=nonsense").status_code == 400


def test_ids_stop_at_a_selections_limit(anon: Any, library: Any,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from catalog import apis

    monkeypatch.setattr(apis, "MAX_IDS", 2)
    body = anon.get("/api/tracks/ids/?ordering=title").json()
    assert body == {"count": 3, "ids": [str(library["a"].pk), str(library["b"].pk)],
                    "truncated": True}


@pytest.mark.parametrize("ids", ["", "not-a-uuid", "{0},", ",".join(["{0}"] * 501)])
def test_a_bad_ids_filter_is_400(anon: Any, library: Any, ids: str) -> None:
    response = anon.get("/api/tracks/", {"ids": ids.format(library["a"].pk)})
    assert response.status_code == 400
    assert response.json()["extra"] == {"parameter": "ids"}


@pytest.mark.parametrize(("ordering", "expected"), [
    ("bpm", ["Charlie", "Alpha", "Bravo"]),
    ("-bpm", ["Bravo", "Alpha", "Charlie"]),
    ("top_probability", ["Bravo", "Alpha", "Charlie"]),  # 0.6, 0.7, 0.95: ascending
    ("-top_probability", ["Charlie", "Alpha", "Bravo"]),
    ("title", ["Alpha", "Bravo", "Charlie"]),
    ("-created_at", ["Charlie", "Bravo", "Alpha"]),
])
def test_ordering(anon: Any, library: Any, ordering: str, expected: list[str]) -> None:
    assert _titles(anon, f"ordering={ordering}") == expected


@pytest.mark.parametrize("query", ["bpm_min=fast", "ordering=secret_field", "key=H7",
                                   "mixable=maybe", "unsure=2", "energy_max=-1",
                                   "artist=abc", "bpm_max=1e9",
                                   # Past a 64-bit id: OverflowError (500) on SQLite before.
                                   "artist=26748656054206783488", "artist=%C2%B2",
                                   # NUL: PostgreSQL refuses it in text (500 there before).
                                   "search=a%00b", "genre=%00", "family=house%00"])
def test_bad_parameters_are_400(anon: Any, library: Any, query: str) -> None:
    response = anon.get(f"/api/tracks/?{query}")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_parameter"


def test_pagination_is_25(anon: Any, taxonomy: Any, make_scored_track: Any) -> None:
    for number in range(27):
        make_scored_track(f"T{number:02d}", sample_result([(*DEEP, 0.5)]))
    first = anon.get("/api/tracks/").json()
    assert len(first["results"]) == 25 and first["count"] == 27
    assert len(anon.get(first["next"]).json()["results"]) == 2


def test_track_detail(anon: Any, library: Any) -> None:
    track = library["b"]
    body = anon.get(f"/api/tracks/{track.pk}/").json()
    assert [g["slug"] for g in body["genres"]] == ["tech-house", "dub-techno", "deep-house"]
    assert body["families"][0]["slug"] == "house"
    assert body["analysis"]["id"] == body["analysis_id"]
    assert body["analysis"]["result"]["tempo"]["bpm"] == 126.0
    assert anon.get("/api/tracks/nope/").status_code == 404


def test_audio_range_request(anon: Any, library: Any) -> None:
    track = library["a"]
    full = b"".join(anon.get(f"/api/tracks/{track.pk}/audio/").streaming_content)
    part = anon.get(f"/api/tracks/{track.pk}/audio/", HTTP_RANGE="bytes=10-19")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 10-19/{len(full)}"
    assert b"".join(part.streaming_content) == full[10:20]
    tail = anon.get(f"/api/tracks/{track.pk}/audio/", HTTP_RANGE="bytes=-4")
    assert b"".join(tail.streaming_content) == full[-4:]
    bad = anon.get(f"/api/tracks/{track.pk}/audio/", HTTP_RANGE=f"bytes={len(full)}-")
    assert bad.status_code == 416


def test_artists(anon: Any, library: Any) -> None:
    listing = anon.get("/api/artists/?search=kerri").json()
    assert listing["count"] == 1
    artist = listing["results"][0]
    assert artist["track_count"] == 2
    detail = anon.get(f"/api/artists/{artist['id']}/").json()
    assert [t["title"] for t in detail["tracks"]] == ["Alpha", "Bravo"]
    mix = {g["slug"]: g["probability"] for g in detail["genre_mix"]}
    assert mix["deep-house"] == pytest.approx((0.7 + 0.15) / 2)
    assert detail["family_mix"][0]["slug"] == "house"
    assert anon.get("/api/artists/999999/").status_code == 404
    assert anon.get("/api/artists/?search=k%00").status_code == 400
