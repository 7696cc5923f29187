"""``genrelens analyze FILE...``: a readable summary or JSON per file; one bad file never stops the rest."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from genrelens.backbone.gate import ELECTRONIC_THRESHOLD
from genrelens.cli.output import ProgressLine, error_line, exit_code
from genrelens.errors import GenreLensError
from genrelens.pool import default_jobs, run_pool
from genrelens.predict.pipeline import ProgressCallback, analyze_path
from genrelens.result import AnalysisResult
from genrelens.timelimit import ANALYSIS_TIME_LIMIT_S, time_limit

__all__ = ["register", "run", "format_summary"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "analyze", help="analyse audio files: genres, tempo, key, loudness, rhythm",
        description="Analyse audio files. Exit 0 when all succeed, 2 when all fail, 3 when some do.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--json", action="store_true", help="print one JSON object per file")
    parser.add_argument("--time-limit", type=_positive_seconds, default=ANALYSIS_TIME_LIMIT_S,
                        metavar="SECONDS",
                        help=f"give up on a file after this long (default {ANALYSIS_TIME_LIMIT_S:g})")
    parser.add_argument("--jobs", "-j", type=_positive_count, default=None, metavar="N",
                        help=f"files analysed at once, one process each (default: one per core, "
                             f"{default_jobs()} here)")
    parser.set_defaults(func=run)


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text!r}")
    return value


def _positive_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, got {text!r}")
    return value


def _fmt(value: float | None, pattern: str, missing: str = "n/a") -> str:
    return missing if value is None else pattern.format(value)


def _clock(seconds: float) -> str:
    """``m:ss.s``, as DJ software shows a cue's position."""
    minutes, rest = divmod(seconds, 60.0)
    return f"{int(minutes)}:{rest:04.1f}"


def format_summary(result: AnalysisResult) -> str:
    """Human-readable multi-line summary of one result."""
    src, tempo, key, loud = result.source, result.tempo, result.key, result.loudness
    alt = ", ".join(f"{a:g}" for a in tempo.alternatives)
    lines = [
        f"{src.name}",
        f"  duration   {src.duration_analyzed_s:.1f} s ({src.format}, {src.sample_rate} Hz,"
        f" {src.channels} ch){'  [truncated]' if src.truncated else ''}",
        f"  tempo      {_fmt(tempo.bpm, '{:.1f} BPM')}  confidence {tempo.confidence:.2f}"
        + (f"  (or {alt})" if alt else "")
        + ("  [tempo varies]" if tempo.bpm is not None and not tempo.stable else ""),
        f"  key        {key.name} ({key.camelot}), confidence {key.confidence:.2f}" if key
        else "  key        none detected",
        f"  loudness   {_fmt(loud.integrated_lufs, '{:.1f} LUFS')}, peak "
        f"{_fmt(loud.peak_dbfs, '{:.1f} dBFS')}, range {_fmt(loud.dynamic_range_db, '{:.1f} dB')}",
        f"  rhythm     {result.rhythm.pattern.replace('_', ' ')}, "
        f"{result.rhythm.onset_rate_hz:.1f} onsets/s",
        f"  energy     {result.energy.level}/10",
    ]
    if result.grid is not None:
        lines.append(f"  grid       first downbeat {_clock(result.grid.first_downbeat_s)},"
                     f" {len(result.grid.downbeats_s)} bars, confidence {result.grid.confidence:.2f}")
    if result.sections:
        lines.append("  sections   " + ", ".join(
            f"{s.label} {_clock(s.start_s)}" for s in result.sections))
    if result.first_drop_s is not None:
        lines.append(f"  cue        first drop at {_clock(result.first_drop_s)}")
    if result.genres:
        lines.append("  genres     " + ", ".join(
            f"{g.name} {g.probability:.0%}" for g in result.genres[:5]))
        lines.append("  families   " + ", ".join(
            f"{f.name} {f.probability:.0%}" for f in result.families[:3]))
        for item in result.top[0].why[:3] if result.top else []:
            lines.append(f"  why        {'+' if item.match else '-'} {item.text}")
    if result.confidence.electronic_probability is not None:
        lines.append(f"  electronic {result.confidence.electronic_probability:.2f}"
                     f" (musicnn real-music tags; {ELECTRONIC_THRESHOLD:g} and above counts as electronic)")
    if result.confidence.unsure:
        lines.append(f"  unsure     {', '.join(result.confidence.reasons)}")
    if result.low_signal:
        lines.append("  note       very quiet or silent audio")
    return "\n".join(lines)


@dataclass(frozen=True)
class _Outcome:
    """One file's printed answer, or its one-line error (``internal`` for a bug, not the file)."""

    output: str | None
    error: str | None = None
    internal: bool = False


def _analyse(path: Path, *, as_json: bool, limit_s: float,
             report: ProgressCallback | None = None) -> _Outcome:
    try:
        with time_limit(limit_s):
            result = analyze_path(path, progress=report)
    except FileNotFoundError:
        return _Outcome(None, f"genrelens: {path}: no such file [not_found]")
    except GenreLensError as error:
        return _Outcome(None, error_line(path.name, error))
    except Exception as error:  # noqa: BLE001 - one line per file, the batch goes on
        return _Outcome(None, error_line(path.name, error), internal=True)
    return _Outcome(json.dumps(result.to_dict()) if as_json else format_summary(result))


def _pool_job(task: tuple[Path, bool, float]) -> _Outcome:
    """``_analyse`` in a pool worker (module level: spawn pickles it by name)."""
    path, as_json, limit_s = task
    return _analyse(path, as_json=as_json, limit_s=limit_s)


def _outcomes(args: argparse.Namespace, progress: ProgressLine) -> Iterator[_Outcome]:
    """Each file's outcome in the order given: inline with stage progress for one job, else
    from ``run_pool`` with a files-done count."""
    jobs = default_jobs() if args.jobs is None else args.jobs
    if jobs <= 1 or len(args.files) <= 1:
        for path in args.files:
            def report(stage: str, fraction: float, name: str = path.name) -> None:
                progress.update(name, stage, fraction)

            yield _analyse(path, as_json=args.json, limit_s=args.time_limit, report=report)
        return
    tasks = [(path, args.json, args.time_limit) for path in args.files]
    progress.update(f"{len(tasks)} files", f"{jobs} at once", 0.0)
    for done, outcome in enumerate(run_pool(jobs, _pool_job, tasks, ordered=True), start=1):
        yield outcome
        progress.update(f"{len(tasks)} files", f"{jobs} at once", done / len(tasks))


def run(args: argparse.Namespace) -> int:
    progress = ProgressLine()
    failed, internal = 0, False
    for outcome in _outcomes(args, progress):
        progress.clear()
        if outcome.output is None:
            print(outcome.error, file=sys.stderr)
            failed, internal = failed + 1, internal or outcome.internal
        else:
            print(outcome.output)
    progress.clear()
    return exit_code(failed, len(args.files), internal=internal)
