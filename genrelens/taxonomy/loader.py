"""Load data/taxonomy.yaml into a validated, cached ``Taxonomy``."""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from genrelens.errors import InvalidParameterError, TaxonomyError
from genrelens.taxonomy.schema import (
    FAMILY_SLUGS,
    MODELLED_GENRES,
    Family,
    Genre,
    family_from_dict,
    genre_from_dict,
)

__all__ = [
    "DATA_DIR_ENV",
    "TAXONOMY_FILE",
    "IMAGE_DIR",
    "Taxonomy",
    "data_dir",
    "default_taxonomy_path",
    "default_image_dir",
    "load_taxonomy",
    "parse_taxonomy",
]

#: Environment variable naming a data directory that replaces the repository's ``data/``.
DATA_DIR_ENV = "GENRELENS_DATA_DIR"
#: File name of the taxonomy inside the data directory.
TAXONOMY_FILE = "taxonomy.yaml"
#: Folder of the generated genre artwork inside the data directory.
IMAGE_DIR = "genre_images"
# genrelens/taxonomy/loader.py -> repository root is two levels above the package.
_REPO_DATA_DIR = Path(__file__).resolve().parents[2] / "data"
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_BaseLoader):  # type: ignore[misc]
    """Safe YAML loader that refuses duplicate mapping keys (PyYAML keeps the last silently)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping


@dataclass(frozen=True)
class Taxonomy:
    """The whole taxonomy: families in display order and genres in file order.

    Build it with ``load_taxonomy`` or ``parse_taxonomy``, which validate every cross-record rule
    (unique slugs, known families, resolvable related links).
    """

    version: str
    families: tuple[Family, ...]
    genres: tuple[Genre, ...]
    _genre_index: Mapping[str, Genre] = field(init=False, repr=False, compare=False)
    _family_index: Mapping[str, Family] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_genre_index", {g.slug: g for g in self.genres})
        object.__setattr__(self, "_family_index", {f.slug: f for f in self.families})

    def genre(self, slug: str) -> Genre:
        """The genre with this slug.

        Raises
        ------
        InvalidParameterError
            No genre has this slug.
        """
        try:
            return self._genre_index[slug]
        except KeyError:
            raise InvalidParameterError(f"unknown genre slug {slug!r}") from None

    def family(self, slug: str) -> Family:
        """The family with this slug.

        Raises
        ------
        InvalidParameterError
            No family has this slug.
        """
        try:
            return self._family_index[slug]
        except KeyError:
            raise InvalidParameterError(f"unknown family slug {slug!r}") from None

    def has_genre(self, slug: str) -> bool:
        """Whether a genre has this slug."""
        return slug in self._genre_index

    def modelled(self) -> tuple[Genre, ...]:
        """The genres the model predicts, ordered by family order, then by slug.

        The order does not depend on where records sit in the file, so it is safe to use as a
        label order.
        """
        rank = {f.slug: number for number, f in enumerate(self.families)}
        chosen = [g for g in self.genres if g.modelled]
        return tuple(sorted(chosen, key=lambda g: (rank[g.family], g.slug)))

    def by_family(self) -> dict[str, tuple[Genre, ...]]:
        """Family slug -> its genres in file order, for every family in display order."""
        return {
            f.slug: tuple(g for g in self.genres if g.family == f.slug) for f in self.families
        }

    def check_contract(self) -> None:
        """Check the parts fixed by docs/architecture.md: the 15 families and 52 modelled genres.

        Raises
        ------
        TaxonomyError
            A family slug or a modelled flag differs from the contract; the message names it.
        """
        families = tuple(f.slug for f in self.families)
        if families != FAMILY_SLUGS:
            raise TaxonomyError(f"families must be {', '.join(FAMILY_SLUGS)} in this order, "
                                f"got {', '.join(families)}")
        for genre in self.genres:
            expected = MODELLED_GENRES.get(genre.slug)
            if genre.modelled != (expected is not None):
                raise TaxonomyError(f"genre {genre.slug!r}: field 'modelled' must be "
                                    f"{expected is not None}")
            if expected is not None and genre.family != expected:
                raise TaxonomyError(f"genre {genre.slug!r}: field 'family' must be {expected!r}")
        missing = sorted(set(MODELLED_GENRES) - set(self._genre_index))
        if missing:
            raise TaxonomyError(f"modelled genre(s) missing: {', '.join(missing)}")


def data_dir() -> Path:
    """The data directory: ``$GENRELENS_DATA_DIR`` when set, else the repository's ``data/``."""
    override = os.environ.get(DATA_DIR_ENV)
    return Path(override) if override else _REPO_DATA_DIR


def default_taxonomy_path() -> Path:
    """``<data dir>/taxonomy.yaml`` (see ``data_dir``)."""
    return data_dir() / TAXONOMY_FILE


def default_image_dir() -> Path:
    """``<data dir>/genre_images`` (see ``data_dir``)."""
    return data_dir() / IMAGE_DIR


def load_taxonomy(path: str | os.PathLike[str] | None = None) -> Taxonomy:
    """Read and validate the taxonomy file; results are cached per path and modification time.

    Parameters
    ----------
    path : str or os.PathLike, optional
        The YAML file. Default: ``default_taxonomy_path()``, resolved at each call so that
        ``GENRELENS_DATA_DIR`` set later still applies.

    Returns
    -------
    Taxonomy
        The validated taxonomy (shared between callers: it is immutable).

    Raises
    ------
    TaxonomyError
        The file is missing, is not YAML, or breaks the schema; the message names the file and
        the bad genre slug and field.

    Examples
    --------
    >>> tax = load_taxonomy()
    >>> tax.genre("deep-house").family
    'house'
    """
    resolved = Path(path) if path is not None else default_taxonomy_path()
    try:
        stamp = resolved.stat().st_mtime_ns
    except OSError as exc:
        raise TaxonomyError(f"{resolved}: cannot read taxonomy file ({exc.strerror})") from None
    return _load_cached(str(resolved.resolve()), stamp)


@functools.lru_cache(maxsize=8)
def _load_cached(path: str, stamp: int) -> Taxonomy:
    # ``stamp`` is part of the cache key only: an edited file is read again.
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=_UniqueKeyLoader)  # a safe loader subclass
    except OSError as exc:
        raise TaxonomyError(f"{path}: cannot read taxonomy file ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"{path}: not valid YAML ({exc})") from None
    try:
        return parse_taxonomy(data)
    except TaxonomyError as exc:
        raise TaxonomyError(f"{path}: {exc.message}", extra=exc.extra) from None


def parse_taxonomy(data: object) -> Taxonomy:
    """Validate already-parsed taxonomy data (``{version, families, genres}``).

    Raises
    ------
    TaxonomyError
        A record breaks the schema, two records share a slug, a genre names an unknown family
        or links to an unknown genre; the message names the slug and field.
    """
    if not isinstance(data, Mapping):
        raise TaxonomyError(f"top level must be a mapping, got {type(data).__name__}")
    for key in ("version", "families", "genres"):
        if key not in data:
            raise TaxonomyError(f"top level: missing field {key!r}")
    version = data["version"]
    if not isinstance(version, str | int) or isinstance(version, bool) or not str(version):
        raise TaxonomyError(f"top level: field 'version' must be a string, got {version!r}")
    for key in ("families", "genres"):
        if not isinstance(data[key], list) or not data[key]:
            raise TaxonomyError(f"top level: field {key!r} must be a non-empty list")
    families = tuple(family_from_dict(item, index=n) for n, item in enumerate(data["families"]))
    genres = tuple(genre_from_dict(item, index=n) for n, item in enumerate(data["genres"]))
    _check_unique("family", [f.slug for f in families])
    _check_unique("genre", [g.slug for g in genres])
    family_slugs = {f.slug for f in families}
    genre_slugs = {g.slug for g in genres}
    for genre in genres:
        if genre.family not in family_slugs:
            raise TaxonomyError(f"genre {genre.slug!r}: field 'family' names unknown family "
                                f"{genre.family!r}")
        unknown = [slug for slug in genre.related if slug not in genre_slugs]
        if unknown:
            raise TaxonomyError(f"genre {genre.slug!r}: field 'related' names unknown genre(s) "
                                f"{', '.join(unknown)}")
    return Taxonomy(version=str(version), families=families, genres=genres)


def _check_unique(kind: str, slugs: list[str]) -> None:
    seen: set[str] = set()
    for slug in slugs:
        if slug in seen:
            raise TaxonomyError(f"{kind} {slug!r}: slug used twice")
        seen.add(slug)
