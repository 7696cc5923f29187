"""Validation of the shipped data/taxonomy.yaml and data/genre_images against the contract."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image

from genrelens.taxonomy.images import IMAGE_SIZE, genre_image_png
from genrelens.taxonomy.loader import Taxonomy, load_taxonomy
from genrelens.taxonomy.schema import FAMILY_SLUGS, MODELLED_GENRES

REPO = Path(__file__).resolve().parents[3]
TAXONOMY_PATH = REPO / "data" / "taxonomy.yaml"
IMAGE_DIR = REPO / "data" / "genre_images"
ARCHITECTURE = REPO / "docs" / "architecture.md"
MIN_GENRES = 165
# Word-count bounds of the prose fields (the brief asks 60-120 and 40-100; a little slack).
DESCRIPTION_WORDS = (50, 130)
HISTORY_WORDS = (30, 110)


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy(TAXONOMY_PATH)


def _contract_modelled() -> dict[str, str]:
    """The modelled-genre table of docs/architecture.md, parsed: slug -> family."""
    table: dict[str, str] = {}
    for line in ARCHITECTURE.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\| ([a-z-]+) \| ([a-z0-9, -]+) \|$", line)
        if match and match[1] != "family":
            for slug in match[2].split(","):
                table[slug.strip()] = match[1]
    return table


def test_schema_constants_match_architecture_doc() -> None:
    assert _contract_modelled() == dict(MODELLED_GENRES)
    assert len(MODELLED_GENRES) == 52
    assert len(FAMILY_SLUGS) == 15
    doc = ARCHITECTURE.read_text(encoding="utf-8")
    assert all(f"`{slug}`" in doc for slug in FAMILY_SLUGS)


def test_contract(taxonomy: Taxonomy) -> None:
    taxonomy.check_contract()
    assert len(taxonomy.genres) >= MIN_GENRES
    assert [f.slug for f in taxonomy.families] == list(FAMILY_SLUGS)
    assert {g.slug: g.family for g in taxonomy.modelled()} == dict(MODELLED_GENRES)


def test_every_family_has_genres(taxonomy: Taxonomy) -> None:
    for family, genres in taxonomy.by_family().items():
        assert len(genres) >= 4, family


def test_family_colours_distinct(taxonomy: Taxonomy) -> None:
    colours = [f.color for f in taxonomy.families]
    assert len(set(colours)) == len(colours)
    rgb = [tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in colours]
    for n, a in enumerate(rgb):
        for b in rgb[n + 1:]:
            assert sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5 > 40


def test_names_unique(taxonomy: Taxonomy) -> None:
    names = [g.name.casefold() for g in taxonomy.genres]
    assert len(set(names)) == len(names)


def test_prose_lengths(taxonomy: Taxonomy) -> None:
    for genre in taxonomy.genres:
        words = len(genre.description.split())
        assert DESCRIPTION_WORDS[0] <= words <= DESCRIPTION_WORDS[1], (genre.slug, words)
        words = len(genre.history.text.split())
        assert HISTORY_WORDS[0] <= words <= HISTORY_WORDS[1], (genre.slug, words)
    for family in taxonomy.families:
        assert len(family.description.split()) >= 25, family.slug
        assert len(family.history.split()) >= 25, family.slug


def test_tempo_ranges_sane(taxonomy: Taxonomy) -> None:
    for genre in taxonomy.genres:
        lo, hi = genre.tempo_bpm
        assert 40 <= lo < hi <= 300, genre.slug
        plo, phi = genre.profile.tempo_bpm
        # The profile may be a tighter core or a wider net (half-time feel), but the two ranges
        # must share at least half of the narrower one.
        overlap = min(hi, phi) - max(lo, plo)
        assert overlap >= 0.5 * min(hi - lo, phi - plo), genre.slug
        assert genre.profile.rhythm == genre.rhythm


def test_related_resolve_and_not_self(taxonomy: Taxonomy) -> None:
    for genre in taxonomy.genres:
        assert genre.slug not in genre.related
        for slug in genre.related:
            assert taxonomy.has_genre(slug), (genre.slug, slug)


def test_release_years_not_before_genre(taxonomy: Taxonomy) -> None:
    # A landmark release may predate the genre's start by a few years (a precursor), no more.
    for genre in taxonomy.genres:
        for release in genre.releases:
            assert release.year >= genre.history.start_year - 12, (genre.slug, release)


def test_every_image_exists_and_none_stale(taxonomy: Taxonomy) -> None:
    for genre in taxonomy.genres:
        path = REPO / "data" / genre.image
        data = path.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n"), genre.slug
        with Image.open(path) as image:
            assert image.size == (IMAGE_SIZE, IMAGE_SIZE)
    slugs = {g.slug for g in taxonomy.genres}
    assert {p.stem for p in IMAGE_DIR.glob("*.png")} == slugs


def test_images_total_size(taxonomy: Taxonomy) -> None:
    total = sum(p.stat().st_size for p in IMAGE_DIR.glob("*.png"))
    assert total < 6_000_000


@pytest.mark.slow
def test_images_up_to_date(taxonomy: Taxonomy) -> None:
    stale = [
        g.slug for g in taxonomy.genres
        if (REPO / "data" / g.image).read_bytes()
        != genre_image_png(g, color=taxonomy.family(g.family).color)
    ]
    assert not stale, f"run `genrelens images` to refresh: {stale}"
