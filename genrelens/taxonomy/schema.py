"""Schema of the genre taxonomy: frozen records built from plain data, validated on the way in."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

from genrelens.errors import TaxonomyError
from genrelens.features.rhythm import RHYTHMS, Rhythm

__all__ = [
    "RHYTHMS",
    "MODES",
    "FAMILY_SLUGS",
    "MODELLED_GENRES",
    "PROFILE_BOUNDS",
    "Rhythm",
    "Mode",
    "Range",
    "Release",
    "History",
    "Profile",
    "Family",
    "Genre",
    "family_from_dict",
    "genre_from_dict",
]

Mode = Literal["minor", "major", "any"]
#: A closed numeric interval ``(lo, hi)`` with ``lo < hi``.
Range = tuple[float, float]

#: Modes a genre profile may expect.
MODES: tuple[Mode, ...] = ("minor", "major", "any")

#: The 15 family slugs of docs/architecture.md, in display order.
FAMILY_SLUGS: tuple[str, ...] = (
    "house", "techno", "trance", "drum-and-bass", "dubstep-bass", "uk-garage", "breakbeat",
    "electro-industrial", "hardcore-hard-dance", "downtempo", "ambient-experimental",
    "synth-pop", "edm", "disco", "global-club",
)

#: The 52 modelled genres of docs/architecture.md (slug -> family): the renderer and the model
#: know exactly these; every other genre of the file has ``modelled: false``.
MODELLED_GENRES: Mapping[str, str] = {
    **dict.fromkeys(
        ("deep-house", "tech-house", "progressive-house", "chicago-house", "acid-house",
         "lo-fi-house"), "house"),
    **dict.fromkeys(
        ("minimal-techno", "detroit-techno", "peak-time-techno", "hard-techno", "dub-techno",
         "industrial-techno", "melodic-house-techno"), "techno"),
    **dict.fromkeys(
        ("uplifting-trance", "progressive-trance", "psytrance", "goa-trance"), "trance"),
    **dict.fromkeys(("liquid-dnb", "neurofunk", "jungle", "jump-up"), "drum-and-bass"),
    **dict.fromkeys(("dubstep", "brostep", "riddim", "phonk"), "dubstep-bass"),
    **dict.fromkeys(("uk-garage", "bassline"), "uk-garage"),
    **dict.fromkeys(("breakbeat", "big-beat"), "breakbeat"),
    **dict.fromkeys(("electro", "ebm"), "electro-industrial"),
    **dict.fromkeys(("hardstyle", "gabber", "happy-hardcore"), "hardcore-hard-dance"),
    **dict.fromkeys(("downtempo", "trip-hop", "lo-fi-hip-hop"), "downtempo"),
    **dict.fromkeys(("ambient", "idm"), "ambient-experimental"),
    **dict.fromkeys(("synthwave", "synth-pop"), "synth-pop"),
    **dict.fromkeys(
        ("big-room-house", "electro-house", "future-bass", "trap-edm", "moombahton"), "edm"),
    **dict.fromkeys(("nu-disco", "italo-disco", "hi-nrg"), "disco"),
    **dict.fromkeys(("afro-house", "amapiano", "footwork"), "global-club"),
}

#: Physical bounds of each numeric profile key: a range outside them is a typo, not a genre.
PROFILE_BOUNDS: Mapping[str, Range] = {
    "tempo_bpm": (40.0, 300.0),
    "bass_weight": (0.0, 1.0),
    "spectral_centroid_hz": (20.0, 11025.0),
    "onset_rate_hz": (0.0, 30.0),
    "spectral_flatness": (0.0, 1.0),
    "dynamic_range_db": (0.0, 60.0),
}

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
# "1986", "1986-" (still going) or "1986-1995".
YEARS_RE = re.compile(r"^(?P<start>\d{4})(?:-(?P<end>\d{4})?)?$")
EARLIEST_YEAR = 1940
LATEST_YEAR = 2030

# How many items each list field holds: (min, max). Bounds keep records comparable on the page.
LIST_COUNTS: Mapping[str, tuple[int, int]] = {
    "sounds": (3, 6),
    "production": (2, 5),
    "related": (2, 6),
    "artists": (2, 6),
    "releases": (1, 3),
}

GENRE_FIELDS = (
    "slug", "name", "family", "modelled", "aliases", "description", "history", "tempo_bpm",
    "rhythm", "sounds", "production", "related", "artists", "releases", "profile",
)
FAMILY_FIELDS = ("slug", "name", "color", "description", "history")
PROFILE_FIELDS = (*PROFILE_BOUNDS, "rhythm", "mode")


@dataclass(frozen=True)
class Release:
    """One landmark release: who, what, when."""

    artist: str
    title: str
    year: int


@dataclass(frozen=True)
class History:
    """Where and when a genre arose (``years`` is ``"1986"``, ``"1986-"`` or ``"1986-1995"``)."""

    origin: str
    years: str
    text: str

    @property
    def start_year(self) -> int:
        """First year of ``years``."""
        return int(self.years[:4])


@dataclass(frozen=True)
class Profile:
    """Expected ranges of the core's summary features, for the "why this genre" comparison.

    Each numeric field is ``(lo, hi)`` in the unit of the feature of the same name
    (``tempo_bpm`` [BPM], ``bass_weight`` [0..1], ``spectral_centroid_hz`` [Hz],
    ``onset_rate_hz`` [onsets/s], ``spectral_flatness`` [0..1], ``dynamic_range_db`` [dB]).
    """

    tempo_bpm: Range
    bass_weight: Range
    spectral_centroid_hz: Range
    onset_rate_hz: Range
    spectral_flatness: Range
    dynamic_range_db: Range
    rhythm: Rhythm
    mode: Mode

    def ranges(self) -> dict[str, Range]:
        """The numeric ranges keyed by feature name, in ``PROFILE_BOUNDS`` order."""
        return {key: cast(Range, getattr(self, key)) for key in PROFILE_BOUNDS}


@dataclass(frozen=True)
class Family:
    """A top-level family (``house``, ``techno``...) with its display colour."""

    slug: str
    name: str
    color: str
    description: str
    history: str


@dataclass(frozen=True)
class Genre:
    """One genre record of data/taxonomy.yaml (see docs/architecture.md for the fields)."""

    slug: str
    name: str
    family: str
    modelled: bool
    aliases: tuple[str, ...]
    description: str
    history: History
    tempo_bpm: Range
    rhythm: Rhythm
    sounds: tuple[str, ...]
    production: tuple[str, ...]
    related: tuple[str, ...]
    artists: tuple[str, ...]
    releases: tuple[Release, ...]
    profile: Profile

    @property
    def image(self) -> str:
        """Path of the genre's artwork relative to the data and static roots."""
        return f"genre_images/{self.slug}.png"


class _Fields:
    """Reads typed fields from one mapping and names the record and field in every error."""

    def __init__(self, data: object, *, where: str, required: Sequence[str]) -> None:
        if not isinstance(data, Mapping):
            raise TaxonomyError(f"{where}: expected a mapping, got {type(data).__name__}")
        missing = [key for key in required if key not in data]
        if missing:
            raise TaxonomyError(f"{where}: missing field(s) {', '.join(missing)}")
        unknown = sorted(str(key) for key in data if key not in required)
        if unknown:
            raise TaxonomyError(f"{where}: unknown field(s) {', '.join(unknown)}")
        self.data: Mapping[str, Any] = data
        self.where = where

    def fail(self, key: str, message: str) -> TaxonomyError:
        return TaxonomyError(f"{self.where}: field {key!r} {message}")

    def text(self, key: str) -> str:
        value = self.data[key]
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"must be a non-empty string, got {value!r}")
        return value.strip()

    def slug(self, key: str) -> str:
        value = self.text(key)
        if not SLUG_RE.match(value):
            raise self.fail(key, f"must be a lowercase-hyphen slug, got {value!r}")
        return value

    def boolean(self, key: str) -> bool:
        value = self.data[key]
        if not isinstance(value, bool):
            raise self.fail(key, f"must be true or false, got {value!r}")
        return value

    def texts(self, key: str, *, counts: tuple[int, int] | None = None) -> tuple[str, ...]:
        value = self.data[key]
        if not isinstance(value, list):
            raise self.fail(key, f"must be a list, got {type(value).__name__}")
        items = []
        for item in value:
            if not isinstance(item, str) or not item.strip():
                raise self.fail(key, f"must hold non-empty strings, got {item!r}")
            items.append(item.strip())
        if len(set(items)) != len(items):
            raise self.fail(key, "has duplicate items")
        if counts is not None and not counts[0] <= len(items) <= counts[1]:
            raise self.fail(key, f"must hold {counts[0]}-{counts[1]} items, got {len(items)}")
        return tuple(items)

    def choice(self, key: str, choices: Sequence[str]) -> str:
        value = self.data[key]
        if value not in choices:
            raise self.fail(key, f"must be one of {', '.join(choices)}, got {value!r}")
        return cast(str, value)

    def range(self, key: str, bounds: Range) -> Range:
        value = self.data[key]
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        ):
            raise self.fail(key, f"must be a [lo, hi] pair of numbers, got {value!r}")
        lo, hi = float(value[0]), float(value[1])
        if not bounds[0] <= lo < hi <= bounds[1]:
            raise self.fail(
                key, f"must satisfy {bounds[0]:g} <= lo < hi <= {bounds[1]:g}, got {value!r}"
            )
        return (lo, hi)


def family_from_dict(data: object, *, index: int) -> Family:
    """Build one ``Family`` from its YAML mapping.

    Parameters
    ----------
    data : object
        The mapping read from the ``families`` list.
    index : int
        Position in that list, named in errors when the slug itself is unreadable.

    Raises
    ------
    TaxonomyError
        A field is missing, unknown or malformed; the message names the family and field.
    """
    where = _where("family", data, index)
    fields = _Fields(data, where=where, required=FAMILY_FIELDS)
    color = fields.text("color")
    if not COLOR_RE.match(color):
        raise fields.fail("color", f"must be a #rrggbb colour, got {color!r}")
    return Family(
        slug=fields.slug("slug"),
        name=fields.text("name"),
        color=color.lower(),
        description=fields.text("description"),
        history=fields.text("history"),
    )


def genre_from_dict(data: object, *, index: int) -> Genre:
    """Build one ``Genre`` from its YAML mapping, checking each field on its own.

    Cross-record rules (unique slugs, known families, related links) are the loader's job,
    because they need the whole file.

    Parameters
    ----------
    data : object
        The mapping read from the ``genres`` list.
    index : int
        Position in that list, named in errors when the slug itself is unreadable.

    Raises
    ------
    TaxonomyError
        A field is missing, unknown or malformed; the message names the genre slug and field.
    """
    where = _where("genre", data, index)
    fields = _Fields(data, where=where, required=GENRE_FIELDS)
    slug = fields.slug("slug")
    tempo = fields.range("tempo_bpm", PROFILE_BOUNDS["tempo_bpm"])
    rhythm = cast(Rhythm, fields.choice("rhythm", RHYTHMS))
    profile = _profile(fields.data["profile"], where=f"{where}.profile")
    if profile.rhythm != rhythm:
        raise fields.fail("profile", f"rhythm {profile.rhythm!r} differs from rhythm {rhythm!r}")
    if not (profile.tempo_bpm[0] <= tempo[1] and tempo[0] <= profile.tempo_bpm[1]):
        raise fields.fail(
            "profile", f"tempo_bpm {profile.tempo_bpm} does not overlap tempo_bpm {tempo}"
        )
    related = fields.texts("related", counts=LIST_COUNTS["related"])
    if slug in related:
        raise fields.fail("related", "links the genre to itself")
    return Genre(
        slug=slug,
        name=fields.text("name"),
        family=fields.slug("family"),
        modelled=fields.boolean("modelled"),
        aliases=fields.texts("aliases"),
        description=fields.text("description"),
        history=_history(fields.data["history"], where=f"{where}.history"),
        tempo_bpm=tempo,
        rhythm=rhythm,
        sounds=fields.texts("sounds", counts=LIST_COUNTS["sounds"]),
        production=fields.texts("production", counts=LIST_COUNTS["production"]),
        related=related,
        artists=fields.texts("artists", counts=LIST_COUNTS["artists"]),
        releases=_releases(fields.data["releases"], where=f"{where}.releases"),
        profile=profile,
    )


def _where(kind: str, data: object, index: int) -> str:
    slug = data.get("slug") if isinstance(data, Mapping) else None
    return f"{kind} {slug!r}" if isinstance(slug, str) and slug else f"{kind} #{index}"


def _history(data: object, *, where: str) -> History:
    fields = _Fields(data, where=where, required=("origin", "years", "text"))
    years = fields.data["years"]
    match = YEARS_RE.match(years) if isinstance(years, str) else None
    if match is None:
        raise fields.fail("years", f"must be a string like '1986', '1986-' or '1986-1995', "
                                   f"got {years!r}")
    start = int(match["start"])
    end = int(match["end"]) if match["end"] else start
    if not EARLIEST_YEAR <= start <= end <= LATEST_YEAR:
        raise fields.fail("years", f"must lie in {EARLIEST_YEAR}-{LATEST_YEAR} in order, "
                                   f"got {years!r}")
    return History(origin=fields.text("origin"), years=years, text=fields.text("text"))


def _releases(data: object, *, where: str) -> tuple[Release, ...]:
    low, high = LIST_COUNTS["releases"]
    if not isinstance(data, list) or not low <= len(data) <= high:
        raise TaxonomyError(f"{where}: must be a list of {low}-{high} releases, got {data!r}")
    releases = []
    for number, item in enumerate(data):
        fields = _Fields(item, where=f"{where}[{number}]", required=("artist", "title", "year"))
        year = fields.data["year"]
        if not isinstance(year, int) or isinstance(year, bool) or not (
            EARLIEST_YEAR <= year <= LATEST_YEAR
        ):
            raise fields.fail("year", f"must be a year in {EARLIEST_YEAR}-{LATEST_YEAR}, "
                                      f"got {year!r}")
        releases.append(Release(artist=fields.text("artist"), title=fields.text("title"),
                                year=year))
    return tuple(releases)


def _profile(data: object, *, where: str) -> Profile:
    fields = _Fields(data, where=where, required=PROFILE_FIELDS)
    ranges = {key: fields.range(key, bounds) for key, bounds in PROFILE_BOUNDS.items()}
    return Profile(
        tempo_bpm=ranges["tempo_bpm"],
        bass_weight=ranges["bass_weight"],
        spectral_centroid_hz=ranges["spectral_centroid_hz"],
        onset_rate_hz=ranges["onset_rate_hz"],
        spectral_flatness=ranges["spectral_flatness"],
        dynamic_range_db=ranges["dynamic_range_db"],
        rhythm=cast(Rhythm, fields.choice("rhythm", RHYTHMS)),
        mode=cast(Mode, fields.choice("mode", MODES)),
    )
