"""Loaders: folder per genre, CSV manifest, FMA layout, and deterministic splits."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from genrelens.datasets.labels import LabelResolver
from genrelens.datasets.sources import (
    LabeledTrack,
    assign_splits,
    csv_dataset,
    fma_dataset,
    folder_dataset,
    load_dataset,
)
from genrelens.errors import DatasetError, InvalidParameterError, UnknownLabelError

KNOWN = {"tech-house", "dubstep", "ambient"}
WriteWav = Callable[[Path, float], Path]


def test_folder_dataset_reads_nested_audio(tmp_path: Path, write_wav: WriteWav) -> None:
    write_wav(tmp_path / "Tech House" / "a.wav", 100.0)
    write_wav(tmp_path / "Tech House" / "sub" / "b.flac", 200.0)
    write_wav(tmp_path / "dubstep" / "c.wav", 300.0)
    (tmp_path / "dubstep" / "notes.txt").write_text("not audio")
    ds = folder_dataset(tmp_path, resolver=LabelResolver(known=KNOWN))
    assert ds.kind == "folder"
    assert Counter(t.label for t in ds.tracks) == {"tech-house": 2, "dubstep": 1}
    assert {t.source_label for t in ds.tracks} == {"Tech House", "dubstep"}


def test_folder_dataset_unknown_folder_name(tmp_path: Path, write_wav: WriteWav) -> None:
    write_wav(tmp_path / "Polka" / "a.wav", 100.0)
    with pytest.raises(UnknownLabelError, match="Polka"):
        folder_dataset(tmp_path, resolver=LabelResolver(known=KNOWN))


def test_folder_dataset_empty_or_missing(tmp_path: Path) -> None:
    (tmp_path / "dubstep").mkdir()
    with pytest.raises(DatasetError, match="no audio"):
        folder_dataset(tmp_path, resolver=LabelResolver(known=KNOWN))
    with pytest.raises(DatasetError, match="not a folder"):
        folder_dataset(tmp_path / "nope", resolver=LabelResolver(known=KNOWN))


def test_csv_manifest_relative_paths_and_extras(tmp_path: Path, write_wav: WriteWav) -> None:
    write_wav(tmp_path / "audio" / "x.wav", 100.0)
    write_wav(tmp_path / "audio" / "y.wav", 200.0)
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "path,genre,seed,split,tempo_bpm,key,variant\n"
        "audio/x.wav,dubstep,7,train,140,A minor,train\n"
        "audio/y.wav,Ambient,8,ood,70,C major,ood\n",
        encoding="utf-8",
    )
    ds = csv_dataset(manifest, resolver=LabelResolver(known=KNOWN))
    assert [(t.label, t.seed, t.split, t.variant) for t in ds.tracks] == [
        ("dubstep", 7, "train", "train"),
        ("ambient", 8, "ood", "ood"),
    ]
    assert ds.tracks[0].path == tmp_path / "audio" / "x.wav"


def test_csv_manifest_missing_columns(tmp_path: Path) -> None:
    manifest = tmp_path / "m.csv"
    manifest.write_text("file,style\na.wav,dubstep\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="'path' and 'genre'"):
        csv_dataset(manifest, resolver=LabelResolver(known=KNOWN))


def test_csv_manifest_missing_audio_is_an_error(tmp_path: Path) -> None:
    manifest = tmp_path / "m.csv"
    manifest.write_text("path,genre\nghost.wav,dubstep\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="ghost.wav"):
        csv_dataset(manifest, resolver=LabelResolver(known=KNOWN))


def test_csv_manifest_unknown_label(tmp_path: Path, write_wav: WriteWav) -> None:
    write_wav(tmp_path / "a.wav", 100.0)
    manifest = tmp_path / "m.csv"
    manifest.write_text("path,label\na.wav,Schlager\n", encoding="utf-8")
    with pytest.raises(UnknownLabelError, match="Schlager"):
        csv_dataset(manifest, resolver=LabelResolver(known=KNOWN))


def _fma(tmp_path: Path, write_wav: WriteWav) -> Path:
    root = tmp_path / "fma"
    meta = root / "fma_metadata" / "tracks.csv"
    meta.parent.mkdir(parents=True)
    meta.write_text(
        ",album,set,set,track,track\n"
        ",title,split,subset,genre_top,title\n"
        "track_id,,,,,\n"
        "2,A,training,small,Electronic,t2\n"
        "5,A,test,small,Rock,t5\n"
        "140,B,validation,medium,Electronic,t140\n"
        "141,B,training,small,,t141\n"
        "999,C,training,small,Electronic,not-in-tree\n",
        encoding="utf-8",
    )
    for tid in (2, 5, 140, 141):
        name = f"{tid:06d}"
        write_wav(root / "fma_small" / name[:3] / f"{name}.mp3.wav", float(tid))
        (root / "fma_small" / name[:3] / f"{name}.mp3.wav").rename(
            root / "fma_small" / name[:3] / f"{name}.mp3"
        )
    return root


def test_fma_layout_with_mapping(tmp_path: Path, write_wav: WriteWav) -> None:
    root = _fma(tmp_path, write_wav)
    resolver = LabelResolver(known=KNOWN, mapping={"electronic": "tech-house", "rock": None})
    ds = fma_dataset(root, resolver=resolver)
    assert ds.kind == "fma"
    assert [(t.path.name, t.label, t.split) for t in ds.tracks] == [
        ("000002.mp3", "tech-house", "train"),
        ("000140.mp3", "tech-house", "val"),
    ]
    assert ds.skipped == 1  # Rock
    assert ds.missing == 1  # 999 is not in the audio tree


def test_fma_subset_and_unmapped_genre(tmp_path: Path, write_wav: WriteWav) -> None:
    root = _fma(tmp_path, write_wav)
    resolver = LabelResolver(known=KNOWN, mapping={"electronic": "tech-house", "rock": None})
    ds = fma_dataset(root, resolver=resolver, subset="medium")
    assert [t.path.name for t in ds.tracks] == ["000140.mp3"]
    with pytest.raises(UnknownLabelError, match="'Electronic' \\(3\\)"):
        fma_dataset(root, resolver=LabelResolver(known=KNOWN))


def test_fma_without_genre_column(tmp_path: Path, write_wav: WriteWav) -> None:
    root = _fma(tmp_path, write_wav)
    (root / "fma_metadata" / "tracks.csv").write_text("a,b\nc,d\ne,f\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="genre_top"):
        fma_dataset(root, resolver=LabelResolver(known=KNOWN))


def test_load_dataset_recognises_layouts(tmp_path: Path, write_wav: WriteWav) -> None:
    root = _fma(tmp_path, write_wav)
    resolver = LabelResolver(known=KNOWN, mapping={"electronic": "tech-house", "rock": None})
    assert load_dataset(root, resolver=resolver).kind == "fma"
    write_wav(tmp_path / "crates" / "dubstep" / "a.wav", 1.0)
    assert load_dataset(tmp_path / "crates", resolver=resolver).kind == "folder"
    with pytest.raises(DatasetError, match="expected a folder"):
        load_dataset(tmp_path / "missing.csv", resolver=resolver)


def _tracks(n: int, label: str) -> list[LabeledTrack]:
    return [LabeledTrack(path=Path(f"/x/{label}/{i}.wav"), label=label, source_label=label) for i in range(n)]


def test_assign_splits_is_stratified_and_stable() -> None:
    tracks = _tracks(20, "a") + _tracks(10, "b") + _tracks(2, "c")
    one = assign_splits(tracks, val_fraction=0.2, test_fraction=0.2)
    two = assign_splits(list(reversed(tracks)), val_fraction=0.2, test_fraction=0.2)
    assert {t.path: t.split for t in one} == {t.path: t.split for t in two}
    counts = Counter((t.label, t.split) for t in one)
    assert counts[("a", "test")] == 4 and counts[("a", "val")] == 4 and counts[("a", "train")] == 12
    assert counts[("b", "test")] == 2 and counts[("b", "val")] == 2
    assert counts[("c", "train")] >= 1


def test_assign_splits_keeps_given_splits_and_validates() -> None:
    given = [LabeledTrack(path=Path("/a.wav"), label="a", source_label="a", split="test")]
    assert assign_splits(given)[0].split == "test"
    with pytest.raises(InvalidParameterError):
        assign_splits(given, val_fraction=0.6, test_fraction=0.5)
