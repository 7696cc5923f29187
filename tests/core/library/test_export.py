"""Tests of genrelens.library.export: CSV and the rekordbox collection XML."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from pathlib import PurePosixPath, PureWindowsPath

import pytest

from genrelens.errors import InvalidParameterError
from genrelens.library.export import CSV_COLUMNS, ExportRow, export_text, location_url

ROWS = [
    ExportRow(title="Night Drive", artist="Lumen & Grid", album="Nights", year=2024,
              genre="Deep House", genre_share=0.714, family="House", bpm=123.456,
              key_tonic="F#", key_mode="minor", camelot="11A", duration_s=301.6,
              energy=6, first_downbeat_s=0.4871, first_drop_s=62.9134,
              location=PurePosixPath("/music/Night Drive (mix).mp3"), kind="MP3 File"),
    ExportRow(title='Quote "x", comma', unsure=True),
]


def test_csv_round_trips_every_column() -> None:
    rows = list(csv.DictReader(io.StringIO(export_text(ROWS, fmt="csv"))))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert rows[0] == {"title": "Night Drive", "artist": "Lumen & Grid", "album": "Nights",
                       "year": "2024", "genre": "Deep House", "genre_share": "0.7140",
                       "family": "House", "bpm": "123.46", "key": "F#m", "camelot": "11A",
                       "energy": "6", "first_downbeat_s": "0.487", "first_drop_s": "62.913",
                       "duration_s": "301.60", "unsure": "no",
                       "location": "/music/Night Drive (mix).mp3"}
    assert rows[1]["title"] == 'Quote "x", comma' and rows[1]["bpm"] == "" and rows[1]["unsure"] == "yes"


def test_rekordbox_collection() -> None:
    text = export_text(ROWS, fmt="rekordbox")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<DJ_PLAYLISTS Version="1.0.0">')
    root = ET.fromstring(text)
    assert root.find("PRODUCT").get("Name") == "GenreLens"  # type: ignore[union-attr]
    collection = root.find("COLLECTION")
    assert collection is not None and collection.get("Entries") == "2"
    first, second = collection.findall("TRACK")
    assert first.attrib == {
        "TrackID": "1", "Name": "Night Drive", "Artist": "Lumen & Grid", "Album": "Nights",
        "Genre": "Deep House", "Kind": "MP3 File", "Year": "2024", "TotalTime": "302",
        "AverageBpm": "123.46", "Tonality": "F#m",
        "Location": "file://localhost/music/Night%20Drive%20%28mix%29.mp3",
        "Comments": "GenreLens: Deep House 71%; key 11A; energy 6"}
    # The grid anchored on the first downbeat, and the first drop as a memory cue.
    assert first.find("TEMPO").attrib == {  # type: ignore[union-attr]
        "Inizio": "0.487", "Bpm": "123.46", "Metro": "4/4", "Battito": "1"}
    assert first.find("POSITION_MARK").attrib == {  # type: ignore[union-attr]
        "Name": "First drop", "Type": "0", "Start": "62.913", "Num": "-1"}
    assert second.get("TrackID") == "2" and second.get("Comments") == "unsure"
    assert second.find("TEMPO") is None and second.find("POSITION_MARK") is None
    assert "AverageBpm" not in second.attrib and "Location" not in second.attrib
    assert root.find("PLAYLISTS/NODE").get("Name") == "ROOT"  # type: ignore[union-attr]


def test_windows_location() -> None:
    assert location_url(PureWindowsPath(r"C:\Music\A B.mp3")) == "file://localhost/C:/Music/A%20B.mp3"


def test_unknown_format() -> None:
    with pytest.raises(InvalidParameterError, match="csv, rekordbox"):
        export_text(ROWS, fmt="traktor")
