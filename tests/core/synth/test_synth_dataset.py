"""Tests of genrelens.synth.dataset: seed splits, default plan, manifest, resumable build."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from genrelens.errors import DatasetError, InvalidParameterError
from genrelens.synth.dataset import (
    MANIFEST_COLUMNS,
    OOD_SEED_BASE,
    build,
    plan_default_jobs,
    plan_render_jobs,
    read_manifest,
    split_of,
)
from genrelens.synth.grammars import GENRES

TINY = {"genres": ("dub-techno", "footwork"), "per_genre": 3, "ood_per_genre": 1,
        "seconds": 3.0}


def test_split_is_a_pure_function_of_the_seed_with_80_10_10_shares() -> None:
    seeds = range(20000)
    first = [split_of(s) for s in seeds]
    assert first == [split_of(s) for s in seeds]
    shares = Counter(first)
    assert abs(shares["train"] / 20000 - 0.8) < 0.02
    assert abs(shares["val"] / 20000 - 0.1) < 0.01
    assert abs(shares["test"] / 20000 - 0.1) < 0.01


def test_default_plan_is_balanced_large_enough_and_splits_do_not_overlap() -> None:
    jobs = plan_default_jobs()
    train_variant = [j for j in jobs if j.variant == "train"]
    assert len(train_variant) >= 11500
    per_genre = Counter(j.genre for j in train_variant)
    assert set(per_genre) == set(GENRES) and len(set(per_genre.values())) == 1
    by_split: dict[str, set[int]] = {}
    for j in jobs:
        assert j.split == split_of(j.seed)
        by_split.setdefault(j.split, set()).add(j.seed)
    assert not by_split["train"] & by_split["val"]
    assert not by_split["train"] & by_split["test"]
    assert not by_split["val"] & by_split["test"]
    ood = [j for j in jobs if j.variant == "ood"]
    assert ood and all(j.seed >= OOD_SEED_BASE and j.split == "test" for j in ood)
    assert len({j.path for j in jobs}) == len(jobs)


def test_render_plan_accepts_a_family_and_rejects_unknown_names() -> None:
    jobs = plan_render_jobs(["techno"], count=9, seconds=3.0)
    assert len({j.genre for j in jobs}) == 7
    with pytest.raises(InvalidParameterError):
        plan_render_jobs(["polka"], count=1, seconds=3.0)
    with pytest.raises(InvalidParameterError):
        plan_render_jobs(["techno"], count=0, seconds=3.0)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def test_tiny_build_writes_audio_and_manifest(tmp_path: Path) -> None:
    jobs = plan_default_jobs(**TINY)  # type: ignore[arg-type]
    report = build(jobs, tmp_path, workers=1, progress=None)
    assert report.rendered == len(jobs) == 8 and report.skipped == 0
    rows = _rows(tmp_path / "manifest.csv")
    assert tuple(rows[0]) == MANIFEST_COLUMNS
    assert [r["path"] for r in rows] == [j.path for j in jobs]
    for row in rows:
        audio, sr = sf.read(str(tmp_path / row["path"]))
        assert sr == 22050 and audio.shape == (66150,)
        assert row["split"] == split_of(int(row["seed"]))
        assert float(row["tempo_bpm"]) > 0 and row["key"].endswith(("minor", "major"))
    assert {r["variant"] for r in rows} == {"train", "ood"}


class _Stop(Exception):
    pass


def test_interrupted_build_resumes_without_rerendering(tmp_path: Path) -> None:
    jobs = plan_default_jobs(**TINY)  # type: ignore[arg-type]
    seen: list[str] = []

    def stop_after_three(row: dict[str, str]) -> None:
        seen.append(row["path"])
        if len(seen) == 3:
            raise _Stop

    with pytest.raises(_Stop):
        build(jobs, tmp_path, workers=1, progress=None, on_row=stop_after_three)
    assert len(read_manifest(tmp_path / "manifest.csv")) == 3
    stamps = {p: (tmp_path / p).stat().st_mtime_ns for p in seen}
    report = build(jobs, tmp_path, workers=1, progress=None)
    assert report.skipped == 3 and report.rendered == len(jobs) - 3
    assert {p: (tmp_path / p).stat().st_mtime_ns for p in seen} == stamps
    assert len(_rows(tmp_path / "manifest.csv")) == len(jobs)


def test_missing_file_is_rerendered_identically_and_torn_row_ignored(tmp_path: Path) -> None:
    jobs = plan_default_jobs(**TINY)  # type: ignore[arg-type]
    build(jobs, tmp_path, workers=1, progress=None)
    victim = tmp_path / jobs[1].path
    before = victim.read_bytes()
    victim.unlink()
    with (tmp_path / "manifest.csv").open("a") as f:
        f.write("dub-techno/dub-techno-99.flac,dub-te")  # a row cut by a crash
    report = build(jobs, tmp_path, workers=1, progress=None)
    assert report.rendered == 1
    assert victim.read_bytes() == before
    assert len(_rows(tmp_path / "manifest.csv")) == len(jobs)


def test_parallel_build_matches_serial_build(tmp_path: Path) -> None:
    jobs = plan_render_jobs(["amapiano"], count=2, seconds=3.0)
    build(jobs, tmp_path / "one", workers=1, progress=None)
    build(jobs, tmp_path / "two", workers=2, progress=None)
    for j in jobs:
        a, _ = sf.read(str(tmp_path / "one" / j.path))
        b, _ = sf.read(str(tmp_path / "two" / j.path))
        assert np.array_equal(a, b)


def test_foreign_manifest_is_refused(tmp_path: Path) -> None:
    (tmp_path / "manifest.csv").write_text("file,label\na.wav,x\n")
    with pytest.raises(DatasetError):
        build(plan_render_jobs(["ambient"], count=1, seconds=3.0), tmp_path, workers=1,
              progress=None)


def test_bad_worker_count_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidParameterError):
        build([], tmp_path, workers=0, progress=None)
