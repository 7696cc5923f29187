"""``genrelens label``: confirm or correct scanned tracks' genres, and see what your labels say.

::

    genrelens label FILE... --genre "Deep House"   # your genre for these files
    genrelens label FILE... --confirm              # the shipped model's top genre is right
    genrelens label FILE... --clear
    genrelens label FILE...                        # each file's label, shipped answer, your layer's
    genrelens label --crates DIR                   # DIR/<genre>/... files label themselves
    genrelens label --list                         # every label, the layer's accuracy

Files must be in the scan index (``genrelens scan``); labels are kept there by content
(``genrelens.library.labels``). After a change the personal layer's leave-one-out accuracy is
printed beside the shipped model's on the same labels, as the web page shows it. One bad file
never stops the rest (exit 0 / 2 all failed / 3 some failed).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from genrelens.cli.output import EXIT_BAD_INPUT, EXIT_OK, error_line, exit_code
from genrelens.errors import GenreLensError
from genrelens.library.labels import crate_labels, index_answers, shipped_top
from genrelens.library.scan import ScanIndex, default_index_dir
from genrelens.library.teach import LayerEvaluation
from genrelens.taxonomy import load_taxonomy
from genrelens.taxonomy.lookup import find_genre

__all__ = ["register", "run"]

#: Genres of the personal ranking shown per file in the text view.
SHOWN = 3


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "label", help="confirm or correct scanned tracks' genres; your labels re-rank the answers",
        description="Label scanned files with your genre (or confirm the shipped one), import "
                    "folder-per-genre crates, and show what the personal layer fitted on your "
                    "labels says, with its leave-one-out accuracy beside the shipped model's.",
    )
    parser.add_argument("files", nargs="*", type=Path, metavar="FILE")
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--genre", metavar="GENRE", help="label FILEs with this genre (slug or name)")
    action.add_argument("--confirm", action="store_true",
                        help="label FILEs with the shipped model's top genre")
    action.add_argument("--clear", action="store_true", help="remove FILEs' labels")
    action.add_argument("--crates", type=Path, metavar="DIR",
                        help="label every scanned file under DIR/<genre>/ with that genre")
    action.add_argument("--list", action="store_true", help="list every label")
    parser.add_argument("--index", type=Path, default=None, metavar="DIR",
                        help=f"index folder (default {default_index_dir()})")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    needs_files = not (args.crates or args.list)
    if needs_files != bool(args.files):
        print("genrelens: label: give FILEs, or --crates DIR or --list without FILEs "
              "[invalid_parameter]", file=sys.stderr)
        return EXIT_BAD_INPUT
    index = ScanIndex(args.index)
    results = {entry["sha256"]: entry for entry in index.entries()}
    try:
        taxonomy = load_taxonomy()
        genre = find_genre(taxonomy, args.genre).slug if args.genre else None
    except GenreLensError as error:
        print(error_line("label", error), file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.list:
        return _report(index, results, None, 0, 0, as_json=args.json)
    if args.crates:
        try:
            crates = crate_labels(args.crates, index=index, taxonomy=taxonomy, scanned=list(results))
        except GenreLensError as error:
            print(error_line("label", error), file=sys.stderr)
            return EXIT_BAD_INPUT
        index.set_labels(dict(crates.labels))
        for line in crates.problems:
            print(f"genrelens: {line}", file=sys.stderr)
        total = len(crates.labels) + len(crates.problems)
        return _report(index, results, [], len(crates.problems), total, as_json=args.json,
                       changed=len(crates.labels))
    changing = bool(args.genre or args.confirm or args.clear)
    digests: list[tuple[Path, str]] = []
    failed = 0
    for path in args.files:
        digest = index.content_digest(path)
        if digest is None or digest not in results:
            print(f"genrelens: {path}: not in the scan index; run `genrelens scan` on its folder "
                  "first [not_scanned]", file=sys.stderr)
            failed += 1
        elif args.confirm and shipped_top(results[digest]["result"]) is None:
            print(f"genrelens: {path}: the shipped model gave no genre to confirm "
                  "[no_genre]", file=sys.stderr)
            failed += 1
        else:
            digests.append((path, digest))
    if digests and changing:
        index.set_labels({digest: None if args.clear else
                          genre or shipped_top(results[digest]["result"])
                          for _, digest in digests})
    return _report(index, results, digests, failed, len(args.files), as_json=args.json,
                   changed=len(digests) if changing else None)


def _report(index: ScanIndex, entries: dict[str, dict[str, Any]],
            shown: list[tuple[Path, str]] | None, failed: int, total: int, *, as_json: bool,
            changed: int | None = None) -> int:
    """Print the files asked about (every labelled one when ``shown`` is None) and the layer's
    evaluation; the exit code."""
    labels = index.labels()
    results = {digest: entry["result"] for digest, entry in entries.items()}
    if shown is None:
        shown = [(Path(entries[d]["paths"][0]), d) for d in sorted(labels, key=lambda d: labels[d])
                 if d in entries]
    evaluation, rankings = index_answers(results, labels, [digest for _, digest in shown])
    rows = [_row(path, digest, results[digest], labels.get(digest), rankings[digest])
            for path, digest in shown]
    if as_json:
        print(json.dumps({"changed": changed, "tracks": rows,
                          "layer": _evaluation(evaluation)}, indent=2))
    else:
        if changed is not None:
            print(f"{changed} file{'s' if changed != 1 else ''} changed.")
        for row in rows:
            yours = ", ".join(f"{g['slug']} {g['probability']:.0%}" for g in row["your_labels_say"][:SHOWN])
            print(f"{row['path']}\n  label: {row['label'] or '-'}   shipped model: "
                  f"{row['shipped'] or '-'}   your labels say: {yours or '- (label two genres first)'}")
        print(_evaluation_line(evaluation))
    return exit_code(failed, total) if total else EXIT_OK


def _row(path: Path, digest: str, result: dict[str, Any], label: str | None,
         ranking: list[tuple[str, float]] | None) -> dict[str, Any]:
    return {"path": str(path), "sha256": digest, "label": label, "shipped": shipped_top(result),
            "your_labels_say": [{"slug": slug, "probability": round(p, 4)}
                                for slug, p in ranking or ()]}


def _evaluation(evaluation: LayerEvaluation) -> dict[str, Any]:
    return {"labels": evaluation.labels, "genres": evaluation.genres,
            "accuracy": evaluation.accuracy, "shipped_accuracy": evaluation.shipped_accuracy}


def _evaluation_line(evaluation: LayerEvaluation) -> str:
    if evaluation.labels == 0:
        return "No labels yet."
    head = (f"Your labels: {evaluation.labels} track{'s' if evaluation.labels != 1 else ''} in "
            f"{evaluation.genres} genre{'s' if evaluation.genres != 1 else ''}")
    if evaluation.accuracy is None:
        return f"{head}; label tracks of a second genre to rank by them."
    shipped = evaluation.shipped_accuracy or 0.0
    return (f"{head}; ranked by the others, your labels' layer is right {evaluation.accuracy:.0%} "
            f"of the time, the shipped model {shipped:.0%} (leave-one-out).")
