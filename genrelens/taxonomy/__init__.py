"""The genre taxonomy: schema, cached loader of data/taxonomy.yaml and the genre artwork."""

from __future__ import annotations

from genrelens.taxonomy.loader import (
    Taxonomy,
    data_dir,
    default_image_dir,
    default_taxonomy_path,
    load_taxonomy,
    parse_taxonomy,
)
from genrelens.taxonomy.schema import (
    FAMILY_SLUGS,
    MODELLED_GENRES,
    RHYTHMS,
    Family,
    Genre,
    History,
    Profile,
    Release,
)

__all__ = [
    "FAMILY_SLUGS",
    "MODELLED_GENRES",
    "RHYTHMS",
    "Family",
    "Genre",
    "History",
    "Profile",
    "Release",
    "Taxonomy",
    "data_dir",
    "default_image_dir",
    "default_taxonomy_path",
    "load_taxonomy",
    "parse_taxonomy",
]
