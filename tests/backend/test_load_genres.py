"""``load_genres`` and the genre APIs: idempotent load, tree, detail, related, top tracks."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from backend_helpers import TINY_TAXONOMY, sample_result
from django.core.management import CommandError, call_command

from catalog.models import Family, Genre

pytestmark = pytest.mark.django_db


def test_load_twice_changes_nothing(taxonomy: Path) -> None:
    before = list(Genre.objects.values_list("pk", "slug", "family__slug", "position"))
    call_command("load_genres", path=taxonomy, stdout=io.StringIO())
    after = list(Genre.objects.values_list("pk", "slug", "family__slug", "position"))
    assert before == after
    assert Family.objects.count() == 2
    assert Genre.objects.get(slug="deep-house").tempo_bpm_min == 118


def test_reload_removes_dropped_genres(taxonomy: Path, tmp_path: Path) -> None:
    smaller = tmp_path / "smaller.yaml"
    smaller.write_text(TINY_TAXONOMY.split("  - slug: dub-techno")[0])
    call_command("load_genres", path=smaller, stdout=io.StringIO())
    assert set(Genre.objects.values_list("slug", flat=True)) == {"deep-house", "tech-house"}


def test_unreadable_taxonomy_is_a_command_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("families: {not: a list}\n")
    with pytest.raises(CommandError, match="families"):
        call_command("load_genres", path=bad, stdout=io.StringIO())


def test_genre_tree(anon: Any, taxonomy: Path) -> None:
    response = anon.get("/api/genres/")
    assert response.status_code == 200
    families = response.json()["families"]
    assert [f["slug"] for f in families] == ["house", "techno"]
    deep = families[0]["genres"][0]
    assert deep == {"slug": "deep-house", "name": "Deep House", "modelled": True,
                    "image_url": "/static/genre_images/deep-house.png",
                    "tempo_bpm": [118.0, 125.0], "rhythm": "four_on_the_floor"}


def test_genre_detail_with_related_and_top_tracks(anon: Any, taxonomy: Path,
                                                  make_scored_track: Any) -> None:
    make_scored_track("Low", sample_result([("deep-house", "Deep House", "house", 0.3),
                                            ("dub-techno", "Dub Techno", "techno", 0.7)]))
    make_scored_track("High", sample_result([("deep-house", "Deep House", "house", 0.9),
                                             ("tech-house", "Tech House", "house", 0.1)]))
    response = anon.get("/api/genres/deep-house/")
    assert response.status_code == 200
    body = response.json()
    assert body["family"] == {"slug": "house", "name": "House", "color": "#E69F00"}
    assert body["description"] == "Warm and soulful."
    assert body["image_url"] == "/static/genre_images/deep-house.png"
    assert [g["slug"] for g in body["related"]] == ["tech-house", "dub-techno"]
    assert [t["title"] for t in body["tracks"]] == ["High", "Low"]


def test_unknown_genre_is_404_json(anon: Any, taxonomy: Path) -> None:
    response = anon.get("/api/genres/no-such-genre/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
