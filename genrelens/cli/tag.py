"""``genrelens tag FILE... [--write]``: genre, BPM and key from the analysis into the files' tags.

A dry run by default: every tag's value before and after is printed and nothing is written
until ``--write``. One bad file never stops the rest (exit 0 / 2 all failed / 3 some failed).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from genrelens.cli.output import ProgressLine, error_line, exit_code
from genrelens.errors import GenreLensError
from genrelens.library.keys import KEY_NOTATIONS
from genrelens.library.tagging import TagPlan, tag_plan, tag_values, tag_write
from genrelens.predict.pipeline import analyze_path

__all__ = ["register", "run", "format_plan"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "tag", help="write the analysed genre, BPM and key into the files' own tags",
        description="Analyse each file and show the genre, BPM and key tags before and after "
                    "(ID3 TCON/TBPM/TKEY, Vorbis GENRE/BPM/INITIALKEY, MP4 ©gen/tmpo/initialkey). "
                    "Nothing is written without --write; the audio frames are never touched.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--write", action="store_true", help="write the tags (default: dry run)")
    parser.add_argument("--key-notation", choices=KEY_NOTATIONS, default=KEY_NOTATIONS[0],
                        help="standard (Am, F#m), camelot (8A) or open-key (1m); default standard")
    parser.add_argument("--json", action="store_true", help="print one JSON object per file")
    parser.set_defaults(func=run)


def _shown(value: str | None) -> str:
    return "(none)" if value is None else json.dumps(value, ensure_ascii=False)


def format_plan(plan: TagPlan, *, written: bool) -> str:
    """The file's tags GenreLens touches, each ``before -> after`` or ``(unchanged)``."""
    lines = [f"{plan.path} ({plan.family} tags)"]
    width = max(len(change.tag) for change in plan.changes)
    for change in plan.changes:
        head = f"  {change.tag:<{width}}  {change.field:<9}"
        if change.changed:
            verb = "->" if written else "would be"
            lines.append(f"{head} {_shown(change.before)} {verb} {_shown(change.after)}")
        else:
            lines.append(f"{head} {_shown(change.before)} (unchanged)")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    progress = ProgressLine()
    failed, internal, changed, files_changed = 0, False, 0, 0
    for path in args.files:

        def report(stage: str, fraction: float, name: str = path.name) -> None:
            progress.update(name, stage, fraction)

        try:
            result = analyze_path(path, progress=report)
            plan = tag_plan(path, tag_values(result, notation=args.key_notation))
            if args.write:
                tag_write(plan)
        except FileNotFoundError:
            progress.clear()
            print(f"genrelens: {path}: no such file [not_found]", file=sys.stderr)
            failed += 1
            continue
        except GenreLensError as error:
            progress.clear()
            print(error_line(path.name, error), file=sys.stderr)
            failed += 1
            continue
        except Exception as error:  # noqa: BLE001 - one line per file, the batch goes on
            progress.clear()
            print(error_line(path.name, error), file=sys.stderr)
            failed, internal = failed + 1, True
            continue
        progress.clear()
        changed += len(plan.pending)
        files_changed += bool(plan.pending)
        if args.json:
            print(json.dumps({**plan.to_dict(), "written": bool(args.write and plan.pending)},
                             ensure_ascii=False))
        else:
            print(format_plan(plan, written=args.write))
    if not args.json:
        if args.write:
            print(f"wrote {changed} tags in {files_changed} files")
        else:
            print(f"dry run: {changed} tags would change in {files_changed} files; "
                  "pass --write to write them")
    return exit_code(failed, len(args.files), internal=internal)
