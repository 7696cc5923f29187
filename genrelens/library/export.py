"""The library as CSV or as a rekordbox collection XML (``DJ_PLAYLISTS``), from plain rows.

The rows come from whoever holds the library (the web app's track list, a folder scan); this
module only writes them. The XML follows rekordbox's documented import format ("rekordbox XML",
``DJ_PLAYLISTS/COLLECTION/TRACK``): ``Name``, ``Artist``, ``Album``, ``Genre``, ``Year``,
``TotalTime`` [s], ``AverageBpm``, ``Tonality`` (standard notation, "Am") and ``Location``
(a ``file://localhost/`` URL), plus ``Comments`` with the genre share, the Camelot code and
the energy; a ``TEMPO`` child anchors the beat grid on the first downbeat (4/4, beat 1) and a
memory cue (``POSITION_MARK``, ``Num="-1"``) marks the first drop.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal, get_args
from urllib.parse import quote

from genrelens import __version__
from genrelens.errors import InvalidParameterError
from genrelens.library.keys import key_text

__all__ = ["EXPORT_FORMATS", "MEDIA_TYPES", "CSV_COLUMNS", "ExportFormat", "ExportRow", "export_text",
           "rows_csv", "rows_rekordbox", "location_url"]

ExportFormat = Literal["csv", "rekordbox"]
#: Formats of ``export_text``, the first the default.
EXPORT_FORMATS: tuple[ExportFormat, ...] = get_args(ExportFormat)
#: Media types and file suffixes of the formats (for HTTP and the command line).
MEDIA_TYPES: dict[ExportFormat, tuple[str, str]] = {"csv": ("text/csv; charset=utf-8", "csv"),
                                                    "rekordbox": ("application/xml", "xml")}
#: Columns of the CSV, in order.
CSV_COLUMNS = ("title", "artist", "album", "year", "genre", "genre_share", "family", "bpm", "key",
               "camelot", "energy", "first_downbeat_s", "first_drop_s", "duration_s", "unsure",
               "location")


@dataclass(frozen=True, kw_only=True)
class ExportRow:
    """One track as the exports see it; None where the analysis or the tags have nothing."""

    title: str
    artist: str = ""
    album: str = ""
    year: int | None = None
    genre: str | None = None
    genre_share: float | None = None
    family: str | None = None
    bpm: float | None = None
    key_tonic: str | None = None
    key_mode: str | None = None
    camelot: str | None = None
    duration_s: float | None = None
    energy: int | None = None
    first_downbeat_s: float | None = None
    first_drop_s: float | None = None
    unsure: bool = False
    location: PurePath | None = None
    kind: str = ""

    @property
    def key(self) -> str | None:
        """The key in standard notation ("F#m"), as rekordbox's ``Tonality`` and ID3 want it."""
        if self.key_tonic is None or self.key_mode is None:
            return None
        return key_text(self.key_tonic, self.key_mode)


def location_url(path: PurePath) -> str:
    """``file://localhost/<absolute path, percent-encoded>``: rekordbox's ``Location`` form.

    Examples
    --------
    >>> location_url(PurePath("/music/Deep & Dub.mp3"))
    'file://localhost/music/Deep%20%26%20Dub.mp3'
    """
    posix = path.as_posix()
    if not posix.startswith("/"):  # Windows: C:/Music/x.mp3
        posix = "/" + posix
    return "file://localhost" + quote(posix, safe="/:")


def _number(value: float | None, digits: int) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def rows_csv(rows: Iterable[ExportRow]) -> str:
    """The rows as CSV with a header line (``CSV_COLUMNS``), numbers in plain decimals."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([
            row.title, row.artist, row.album, "" if row.year is None else row.year,
            row.genre or "", _number(row.genre_share, 4), row.family or "", _number(row.bpm, 2),
            row.key or "", row.camelot or "", "" if row.energy is None else row.energy,
            _number(row.first_downbeat_s, 3), _number(row.first_drop_s, 3), _number(row.duration_s, 2),
            "yes" if row.unsure else "no", "" if row.location is None else str(row.location),
        ])
    return out.getvalue()


def rows_rekordbox(rows: Iterable[ExportRow]) -> str:
    """The rows as a rekordbox collection XML (UTF-8 text with its declaration).

    Tracks without a file location are still listed (rekordbox then shows them as missing);
    ``TrackID`` numbers the tracks from 1 in the order given.
    """
    root = ET.Element("DJ_PLAYLISTS", Version="1.0.0")
    ET.SubElement(root, "PRODUCT", Name="GenreLens", Version=__version__, Company="GenreLens")
    listed = list(rows)
    collection = ET.SubElement(root, "COLLECTION", Entries=str(len(listed)))
    for number, row in enumerate(listed, start=1):
        attrs = {"TrackID": str(number), "Name": row.title, "Artist": row.artist,
                 "Album": row.album, "Genre": row.genre or "", "Kind": row.kind}
        if row.year is not None:
            attrs["Year"] = str(row.year)
        if row.duration_s is not None:
            attrs["TotalTime"] = str(round(row.duration_s))
        if row.bpm is not None:
            attrs["AverageBpm"] = f"{row.bpm:.2f}"
        if row.key is not None:
            attrs["Tonality"] = row.key
        if row.location is not None:
            attrs["Location"] = location_url(row.location)
        notes = [f"GenreLens: {row.genre} {row.genre_share:.0%}" if row.genre and row.genre_share
                 is not None else "", f"key {row.camelot}" if row.camelot else "",
                 f"energy {row.energy}" if row.energy is not None else "",
                 "unsure" if row.unsure else ""]
        attrs["Comments"] = "; ".join(note for note in notes if note)
        track = ET.SubElement(collection, "TRACK", attrs)
        if row.bpm is not None and row.first_downbeat_s is not None:
            ET.SubElement(track, "TEMPO", Inizio=f"{row.first_downbeat_s:.3f}", Bpm=f"{row.bpm:.2f}",
                          Metro="4/4", Battito="1")
        if row.first_drop_s is not None:
            ET.SubElement(track, "POSITION_MARK", Name="First drop", Type="0",
                          Start=f"{row.first_drop_s:.3f}", Num="-1")
    playlists = ET.SubElement(root, "PLAYLISTS")
    ET.SubElement(playlists, "NODE", Type="0", Name="ROOT", Count="0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def export_text(rows: Iterable[ExportRow], *, fmt: str) -> str:
    """The rows in ``fmt`` ("csv" or "rekordbox").

    Raises
    ------
    InvalidParameterError
        Unknown format; the message lists ``EXPORT_FORMATS``.
    """
    if fmt == "csv":
        return rows_csv(rows)
    if fmt == "rekordbox":
        return rows_rekordbox(rows)
    raise InvalidParameterError(f"format must be one of {', '.join(EXPORT_FORMATS)}, got {fmt!r}",
                                extra={"formats": list(EXPORT_FORMATS)})
