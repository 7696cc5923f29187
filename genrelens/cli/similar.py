"""``genrelens similar FILE``: the scanned tracks that sound most like FILE.

Reads the scan index (``genrelens scan`` fills it): FILE must have been scanned. Tracks are
compared as the web library compares them (``genrelens.library.similar.similar_results``), and
``--bpm-window`` / ``--mixable`` keep what a DJ could mix next. Exit 2 with one line when FILE
is not in the index.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from genrelens.cli.output import EXIT_BAD_INPUT, EXIT_OK
from genrelens.library.scan import ScanIndex, default_index_dir
from genrelens.library.similar import similar_results

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "similar", help="scanned tracks that sound most like a file",
        description="List the tracks of the scan index that sound most like FILE (musicnn's "
                    "embedding and the genre profile), optionally only mixable ones.",
    )
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.add_argument("-n", type=int, default=10, help="how many (default 10)")
    parser.add_argument("--bpm-window", type=float, default=None, metavar="BPM",
                        help="only tracks within this many BPM of FILE")
    parser.add_argument("--mixable", action="store_true",
                        help="only keys that mix with FILE's (Camelot +/-1 and relative)")
    parser.add_argument("--index", type=Path, default=None, metavar="DIR",
                        help=f"index folder (default {default_index_dir()})")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.n < 1:
        print(f"genrelens: similar: -n must be at least 1, got {args.n} [invalid_parameter]",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    index = ScanIndex(args.index)
    entries = {entry["sha256"]: entry for entry in index.entries()}
    digest = index.content_digest(args.file)
    if digest is None or digest not in entries:
        print(f"genrelens: {args.file}: not in the scan index; run `genrelens scan` on its "
              "folder first [not_scanned]", file=sys.stderr)
        return EXIT_BAD_INPUT
    found = similar_results(digest, {d: e["result"] for d, e in entries.items()}, k=args.n,
                            bpm_window=args.bpm_window, mixable=args.mixable)
    rows = [_row(entries[d], score) for d, score in found]
    if args.json:
        print(json.dumps({"file": str(args.file), "tracks": rows}, indent=2))
    elif not rows:
        print("No scanned track matches within these limits.")
    else:
        for row in rows:
            print(f"{row['similarity']:6.3f}  {row['bpm'] or '-':>6}  {row['camelot'] or '-':>3}  "
                  f"{row['top_genre'] or '-':<22}  {row['path']}")
    return EXIT_OK


def _row(entry: dict[str, Any], similarity: float) -> dict[str, Any]:
    result = entry["result"]
    bpm = (result.get("tempo") or {}).get("bpm")
    genres = result.get("genres") or []
    return {"path": entry["paths"][0], "similarity": round(similarity, 4),
            "bpm": round(bpm, 1) if bpm is not None else None,
            "camelot": (result.get("key") or {}).get("camelot"),
            "top_genre": genres[0]["slug"] if genres else None}
