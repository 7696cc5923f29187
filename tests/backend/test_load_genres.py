"""``load_genres`` (through the core loader) and the genre APIs: tree, detail, related, tracks."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import yaml
from backend_helpers import sample_result
from django.conf import settings
from django.core.management import CommandError, call_command

from catalog.models import Family, Genre
from catalog.selectors import GENRE_MIN_SHARE
from genrelens.taxonomy import FAMILY_SLUGS

pytestmark = pytest.mark.django_db


def test_load_twice_changes_nothing(taxonomy: Any) -> None:
    before = list(Genre.objects.values_list("pk", "slug", "family__slug", "position", "record"))
    call_command("load_genres", stdout=io.StringIO())
    after = list(Genre.objects.values_list("pk", "slug", "family__slug", "position", "record"))
    assert before == after
    assert Family.objects.count() == len(taxonomy.families) == 15
    assert Genre.objects.count() == len(taxonomy.genres)
    assert Genre.objects.filter(modelled=True).count() == 52


def test_reload_removes_dropped_genres(taxonomy: Any, tmp_path: Path) -> None:
    data = yaml.safe_load(Path(settings.TAXONOMY_PATH).read_text())
    linked = {slug for genre in data["genres"] for slug in genre["related"]}
    dropped = next(g["slug"] for g in data["genres"] if g["slug"] not in linked)
    data["genres"] = [g for g in data["genres"] if g["slug"] != dropped]
    smaller = tmp_path / "smaller.yaml"
    smaller.write_text(yaml.safe_dump(data))
    kept = Genre.objects.get(slug=data["genres"][0]["slug"]).pk
    call_command("load_genres", path=smaller, stdout=io.StringIO())
    assert not Genre.objects.filter(slug=dropped).exists()
    assert Genre.objects.get(slug=data["genres"][0]["slug"]).pk == kept


def test_invalid_taxonomy_is_a_command_error_naming_the_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: '1'\nfamilies: {not: a list}\ngenres: []\n")
    with pytest.raises(CommandError, match="families"):
        call_command("load_genres", path=bad, stdout=io.StringIO())
    assert not Genre.objects.exists()


def test_genre_tree(anon: Any, taxonomy: Any) -> None:
    response = anon.get("/api/genres/")
    assert response.status_code == 200
    families = response.json()["families"]
    assert [f["slug"] for f in families] == list(FAMILY_SLUGS)
    house = next(f for f in families if f["slug"] == "house")
    deep = next(g for g in house["genres"] if g["slug"] == "deep-house")
    record = taxonomy.genre("deep-house")
    assert deep == {"slug": "deep-house", "name": record.name, "modelled": True,
                    "image_url": "/static/genre_images/deep-house.png",
                    "tempo_bpm": [float(v) for v in record.tempo_bpm], "rhythm": record.rhythm}
    assert sum(len(f["genres"]) for f in families) == len(taxonomy.genres)


def test_genre_detail_with_related_and_top_tracks(anon: Any, taxonomy: Any,
                                                  make_scored_track: Any) -> None:
    make_scored_track("Low", sample_result([("deep-house", "Deep House", "house", 0.3),
                                            ("dub-techno", "Dub Techno", "techno", 0.7)]))
    make_scored_track("High", sample_result([("deep-house", "Deep House", "house", 0.9),
                                             ("tech-house", "Tech House", "house", 0.1)]))
    # A trace of deep house under another top genre: not a Deep House track.
    make_scored_track("Trace", sample_result([("dub-techno", "Dub Techno", "techno", 0.95),
                                              ("deep-house", "Deep House", "house", 0.05)]))
    response = anon.get("/api/genres/deep-house/")
    assert response.status_code == 200
    body = response.json()
    record = taxonomy.genre("deep-house")
    house = taxonomy.family("house")
    assert body["family"] == {"slug": "house", "name": house.name, "color": house.color}
    assert body["description"] == record.description
    assert body["history"]["origin"] == record.history.origin
    assert body["profile"]["mode"] == record.profile.mode
    assert body["image_url"] == "/static/genre_images/deep-house.png"
    assert [g["slug"] for g in body["related"]] == list(record.related)
    assert [(t["title"], t["share"]) for t in body["tracks"]] == [("High", 0.9), ("Low", 0.3)]
    assert body["tracks"][1]["top_genre"]["slug"] == "dub-techno"


def test_genre_page_lists_only_tracks_with_a_real_share(anon: Any, taxonomy: Any,
                                                        make_scored_track: Any) -> None:
    make_scored_track("At", sample_result([("dub-techno", "Dub Techno", "techno", 1 - GENRE_MIN_SHARE),
                                           ("deep-house", "Deep House", "house", GENRE_MIN_SHARE)]))
    make_scored_track("Below", sample_result([("dub-techno", "Dub Techno", "techno", 0.91),
                                              ("deep-house", "Deep House", "house", 0.09)]))
    body = anon.get("/api/genres/deep-house/").json()
    assert body["min_share"] == GENRE_MIN_SHARE
    assert [t["title"] for t in body["tracks"]] == ["At"]
    assert anon.get("/api/genres/tech-house/").json()["tracks"] == []


def test_unknown_genre_is_404_json(anon: Any, taxonomy: Any) -> None:
    response = anon.get("/api/genres/no-such-genre/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_genre_artwork_is_served(anon: Any) -> None:
    response = anon.get("/static/genre_images/deep-house.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
