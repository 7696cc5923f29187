"""Tests of the ``genrelens render`` and ``genrelens dataset build`` commands."""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import pytest

from genrelens.cli import dataset, render


def _parse(module: object, argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="genrelens")
    module.register(parser.add_subparsers(dest="command"))  # type: ignore[attr-defined]
    return parser.parse_args(argv)


def test_render_writes_files_and_manifest(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                          ) -> None:
    args = _parse(render, ["render", "--genre", "techno", "--count", "3", "--seconds", "3",
                           "--out", str(tmp_path), "--workers", "1"])
    assert args.func(args) == 0
    with (tmp_path / "manifest.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 3
    assert all((tmp_path / r["path"]).is_file() for r in rows)
    assert {r["genre"] for r in rows} <= {"minimal-techno", "detroit-techno", "peak-time-techno"}
    captured = capsys.readouterr()
    assert "3 rendered" in captured.out
    assert "3/3" in captured.err  # the progress bar


def test_render_unknown_genre_exits_2_with_one_line(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    args = _parse(render, ["render", "--genre", "polka", "--out", str(tmp_path), "--quiet"])
    assert args.func(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("genrelens: render:")
    assert err[0].endswith("[invalid_parameter]")


def test_dataset_build_small(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["dataset", "build", "--out", str(tmp_path), "--per-genre", "2", "--ood-per-genre",
            "0", "--seconds", "3", "--genres", "ambient", "--workers", "1", "--quiet"]
    args = _parse(dataset, argv)
    assert args.func(args) == 0
    assert "2 rendered" in capsys.readouterr().out
    assert args.func(_parse(dataset, argv)) == 0
    assert "0 rendered, 2 already present" in capsys.readouterr().out
