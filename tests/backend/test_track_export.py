"""GET /api/tracks/export/ and ``manage.py export_tracks``: the track list's rows as files."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from backend_helpers import sample_result
from django.core.management import call_command

pytestmark = pytest.mark.django_db

DEEP = ("deep-house", "Deep House", "house")
DUB = ("dub-techno", "Dub Techno", "techno")


@pytest.fixture
def library(taxonomy: Any, make_scored_track: Any) -> dict[str, Any]:
    return {
        "a": make_scored_track("Alpha", sample_result([(*DEEP, 0.7), (*DUB, 0.3)], bpm=120.0,
                                                      camelot="8A"), artist="Kerri Chandler"),
        "c": make_scored_track("Charlie", sample_result([(*DUB, 0.95), (*DEEP, 0.05)], bpm=118.0,
                                                        camelot="11A", key="F# minor")),
    }


def _csv(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"))))


def test_csv_export_is_the_whole_list(anon: Any, library: Any) -> None:
    response = anon.get("/api/tracks/export/?format=csv&ordering=title")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="genrelens-library.csv"' in response["Content-Disposition"]
    rows = _csv(response.content)
    assert [(r["title"], r["genre"], r["bpm"], r["key"], r["camelot"]) for r in rows] == [
        ("Alpha", "Deep House", "120.00", "Am", "8A"), ("Charlie", "Dub Techno", "118.00", "F#m", "11A")]
    assert rows[0]["artist"] == "Kerri Chandler"


def test_export_takes_the_list_filters(anon: Any, library: Any) -> None:
    rows = _csv(anon.get("/api/tracks/export/?format=csv&family=techno").content)
    assert [r["title"] for r in rows] == ["Charlie"]


def test_rekordbox_export_points_at_the_stored_files(anon: Any, library: Any) -> None:
    response = anon.get("/api/tracks/export/?format=rekordbox&ordering=title")
    assert response.status_code == 200 and response["Content-Type"] == "application/xml"
    tracks = ET.fromstring(response.content).findall("COLLECTION/TRACK")
    assert [t.get("Name") for t in tracks] == ["Alpha", "Charlie"]
    assert tracks[1].get("Tonality") == "F#m" and tracks[1].get("AverageBpm") == "118.00"
    assert tracks[0].get("Kind") == "WAV File"
    location = tracks[0].get("Location") or ""
    assert location.startswith("file://localhost/")
    assert Path(unquote(location.removeprefix("file://localhost"))).is_file()


@pytest.mark.parametrize("query", ["format=traktor", "format=csv&ordering=secret", "format=csv&key=H7"])
def test_bad_parameters_are_400(anon: Any, library: Any, query: str) -> None:
    response = anon.get(f"/api/tracks/export/?{query}")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_parameter"


def test_private_library_exports_only_the_users_tracks(settings: Any, anon: Any, taxonomy: Any,
                                                       make_user: Any, make_scored_track: Any) -> None:
    settings.PUBLIC_LIBRARY = False
    alice, alice_api = make_user("alice")
    bob, _ = make_user("bob")
    make_scored_track("Mine", sample_result([(*DEEP, 0.9)]), owner=alice)
    make_scored_track("Theirs", sample_result([(*DEEP, 0.9)]), owner=bob)
    assert [r["title"] for r in _csv(alice_api.get("/api/tracks/export/?format=csv").content)] == ["Mine"]
    assert anon.get("/api/tracks/export/?format=csv").status_code == 401
    out = io.StringIO()
    call_command("export_tracks", user="alice", stdout=out)
    assert [r["title"] for r in _csv(out.getvalue().encode())] == ["Mine"]


def test_management_command_writes_a_file(library: Any, tmp_path: Path) -> None:
    target = tmp_path / "collection.xml"
    err = io.StringIO()
    call_command("export_tracks", format="rekordbox", out=target, genre="dub-techno", stderr=err)
    names = [t.get("Name") for t in ET.parse(target).getroot().findall("COLLECTION/TRACK")]
    assert names == ["Alpha", "Charlie"]  # Alpha: dub techno's share 0.3 is a real share
    assert "wrote 2 tracks" in err.getvalue()
