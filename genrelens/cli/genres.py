"""``genrelens genres [SLUG]``: the taxonomy as a tree, or one genre with its profile."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path
from typing import Any

from genrelens.cli.output import EXIT_BAD_INPUT, EXIT_OK, error_line
from genrelens.errors import GenreLensError
from genrelens.taxonomy import Genre, Taxonomy, load_taxonomy
from genrelens.taxonomy.lookup import find_genre, genre_data, taxonomy_tree

__all__ = ["register", "run", "format_tree", "format_genre"]

#: Width of wrapped prose in the text view of one genre.
WRAP = 88
# Units of the profile's numeric ranges, in the text view.
_UNITS = {"tempo_bpm": "BPM", "spectral_centroid_hz": "Hz", "onset_rate_hz": "onsets/s",
          "dynamic_range_db": "dB"}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "genres", help="the genre taxonomy as a tree, or one genre with its profile",
        description="Print the taxonomy (families and genres) or one genre's record. "
                    "SLUG may also be a genre's name or alias. Exit 2 for an unknown genre.",
    )
    parser.add_argument("slug", nargs="?", metavar="SLUG", help="genre to show (e.g. deep-house)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument("--taxonomy", type=Path, metavar="FILE",
                        help="taxonomy YAML to read (default: the installed data/taxonomy.yaml)")
    parser.set_defaults(func=run)


def _range(pair: tuple[float, float]) -> str:
    return f"{pair[0]:g}-{pair[1]:g}"


def format_tree(taxonomy: Taxonomy) -> str:
    """Families with their genres, one line each; ``*`` marks the genres the model predicts."""
    groups = taxonomy.by_family()
    modelled = sum(g.modelled for g in taxonomy.genres)
    lines = [f"GenreLens taxonomy {taxonomy.version}: {len(taxonomy.families)} families, "
             f"{len(taxonomy.genres)} genres ({modelled} modelled, marked *)"]
    for family in taxonomy.families:
        genres = groups[family.slug]
        lines.append(f"{family.name} ({family.slug}), {len(genres)} genres")
        for index, genre in enumerate(genres):
            branch = "└─" if index == len(genres) - 1 else "├─"
            mark = "*" if genre.modelled else " "
            lines.append(f"  {branch}{mark} {genre.name:<28} {genre.slug:<26} "
                         f"{_range(genre.tempo_bpm)} BPM")
    return "\n".join(lines)


def format_genre(genre: Genre, taxonomy: Taxonomy) -> str:
    """One genre: identity, tempo and rhythm, prose, lists and the feature profile."""
    family = taxonomy.family(genre.family)
    indent = " " * 13

    def para(label: str, text: str) -> list[str]:
        wrapped = textwrap.wrap(text, WRAP - len(indent)) or [""]
        return [f"  {label:<11}{wrapped[0]}", *(indent + line for line in wrapped[1:])]

    related = ", ".join(taxonomy.genre(slug).name for slug in genre.related)
    lines = [
        f"{genre.name} ({genre.slug}), family {family.name}",
        f"  {'modelled':<11}{'yes, the genre model predicts it' if genre.modelled else 'no'}",
        *([f"  {'aliases':<11}{', '.join(genre.aliases)}"] if genre.aliases else []),
        f"  {'tempo':<11}{_range(genre.tempo_bpm)} BPM, rhythm {genre.rhythm.replace('_', ' ')}",
        f"  {'origin':<11}{genre.history.origin}, {genre.history.years}",
        *para("about", genre.description),
        *para("history", genre.history.text),
        *para("sounds", "; ".join(genre.sounds)),
        *para("production", "; ".join(genre.production)),
        *para("related", related),
        *para("artists", ", ".join(genre.artists)),
        *para("releases", "; ".join(f"{r.artist} - {r.title} ({r.year})" for r in genre.releases)),
        "  profile    (expected ranges of the analysis features)",
    ]
    for key, pair in genre.profile.ranges().items():
        unit = f" {_UNITS[key]}" if key in _UNITS else ""
        lines.append(f"    {key:<22}{_range(pair)}{unit}")
    lines.append(f"    {'rhythm':<22}{genre.profile.rhythm.replace('_', ' ')}")
    lines.append(f"    {'mode':<22}{genre.profile.mode}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    try:
        taxonomy = load_taxonomy(args.taxonomy)
        genre = find_genre(taxonomy, args.slug) if args.slug is not None else None
    except GenreLensError as exc:
        print(error_line("genres", exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    if genre is None:
        print(json.dumps(taxonomy_tree(taxonomy), indent=2) if args.json else format_tree(taxonomy))
    elif args.json:
        print(json.dumps(genre_data(genre), indent=2))
    else:
        print(format_genre(genre, taxonomy))
    return EXIT_OK
