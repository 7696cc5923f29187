"""``genrelens images``: regenerate the genre artwork from the taxonomy."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from genrelens.errors import GenreLensError
from genrelens.taxonomy.images import write_genre_images
from genrelens.taxonomy.loader import default_image_dir, default_taxonomy_path, load_taxonomy

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``images`` subcommand to the ``genrelens`` parser."""
    parser = subparsers.add_parser(
        "images",
        help="regenerate data/genre_images/<slug>.png from the taxonomy",
        description="Draw one PNG per genre from its rhythm, tempo and spectral profile.",
    )
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder (default: <data dir>/genre_images)")
    parser.add_argument("--taxonomy", type=Path, default=None,
                        help="taxonomy file (default: <data dir>/taxonomy.yaml)")
    parser.add_argument("slugs", nargs="*", help="only these genres (default: all)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write the images; exit 2 with one line on stderr when the taxonomy or a slug is bad."""
    source = args.taxonomy or default_taxonomy_path()
    out = args.out or default_image_dir()
    try:
        taxonomy = load_taxonomy(source)
        paths = write_genre_images(taxonomy, out_dir=out, slugs=args.slugs or None)
    except GenreLensError as exc:
        print(f"genrelens: {source}: {exc.message} [{exc.code}]", file=sys.stderr)
        return 2
    print(f"wrote {len(paths)} genre images to {out}")
    return 0
