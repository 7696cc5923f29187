"""Tests of genrelens.taxonomy.images and the ``genrelens images`` command."""

from __future__ import annotations

import argparse
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageStat

from genrelens.cli import images as images_cli
from genrelens.errors import InvalidParameterError
from genrelens.taxonomy.images import IMAGE_SIZE, genre_image_png, write_genre_images
from genrelens.taxonomy.loader import parse_taxonomy

Writer = Callable[[object], Path]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_image_is_deterministic_png(small_data: dict[str, Any]) -> None:
    tax = parse_taxonomy(small_data)
    genre = tax.genre("alpha-house")
    first = genre_image_png(genre, color="#E69F00")
    assert first == genre_image_png(genre, color="#E69F00")
    assert first.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(first))
    assert image.size == (IMAGE_SIZE, IMAGE_SIZE)
    assert len(first) < 40_000


def test_images_differ_by_genre_rhythm_and_colour(small_data: dict[str, Any]) -> None:
    small_data["genres"][1]["rhythm"] = "breakbeat"
    small_data["genres"][1]["profile"]["rhythm"] = "breakbeat"
    tax = parse_taxonomy(small_data)
    alpha = genre_image_png(tax.genre("alpha-house"), color="#E69F00")
    assert alpha != genre_image_png(tax.genre("beta-house"), color="#E69F00")
    assert alpha != genre_image_png(tax.genre("alpha-house"), color="#0072B2")


def test_family_colour_dominates(small_data: dict[str, Any]) -> None:
    genre = parse_taxonomy(small_data).genre("alpha-house")
    image = Image.open(io.BytesIO(genre_image_png(genre, color="#0072B2"))).convert("RGB")
    red, green, blue = ImageStat.Stat(image).sum
    assert blue > red and blue > green


@pytest.mark.parametrize("color", ["blue", "#12345", "#GGGGGG", "0072B2"])
def test_bad_colour_raises(small_data: dict[str, Any], color: str) -> None:
    genre = parse_taxonomy(small_data).genre("alpha-house")
    with pytest.raises(InvalidParameterError, match="color"):
        genre_image_png(genre, color=color)


def test_write_genre_images_is_idempotent(small_data: dict[str, Any], tmp_path: Path) -> None:
    tax = parse_taxonomy(small_data)
    paths = write_genre_images(tax, out_dir=tmp_path / "img")
    assert [p.name for p in paths] == [f"{g.slug}.png" for g in tax.genres]
    stamps = [p.stat().st_mtime_ns for p in paths]
    write_genre_images(tax, out_dir=tmp_path / "img")
    assert [p.stat().st_mtime_ns for p in paths] == stamps
    only = write_genre_images(tax, out_dir=tmp_path / "one", slugs=["beta-house"])
    assert [p.name for p in only] == ["beta-house.png"]
    with pytest.raises(InvalidParameterError, match="nope"):
        write_genre_images(tax, out_dir=tmp_path / "x", slugs=["nope"])


def _run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="genrelens")
    images_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


def test_cli_writes_images(
    small_data: dict[str, Any], write_taxonomy: Writer, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = write_taxonomy(small_data)
    out = tmp_path / "out"
    assert _run_cli(["images", "--taxonomy", str(source), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "alpha-house.png", "beta-house.png", "gamma-techno.png"
    ]
    assert "wrote 3 genre images" in capsys.readouterr().out


def test_cli_bad_taxonomy_exits_2(
    small_data: dict[str, Any], write_taxonomy: Writer, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    small_data["genres"][0]["tempo_bpm"] = [130, 120]
    source = write_taxonomy(small_data)
    assert _run_cli(["images", "--taxonomy", str(source), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("genrelens: ") and "alpha-house" in err and "[taxonomy_invalid]" in err


def test_cli_unknown_slug_exits_2(
    small_data: dict[str, Any], write_taxonomy: Writer, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = write_taxonomy(small_data)
    argv = ["images", "--taxonomy", str(source), "--out", str(tmp_path), "nope"]
    assert _run_cli(argv) == 2
    assert "nope" in capsys.readouterr().err
