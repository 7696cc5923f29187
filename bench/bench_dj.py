"""Tempo, key and rhythm as a DJ needs them: GenreLens beside Essentia and librosa, same clips, same run.

Run::

    PYTHONPATH=. .venv/bin/python bench/bench_dj.py [--real ../shared/realdev] [--per-genre 3]
        [--essentia-python /tmp/ess/bin/python] [--jobs 2] [--json out.json]

Two sets of clips:

- **rendered**: ``--per-genre`` test seeds of every modelled genre, ``--seconds`` long, whose
  tempo and key the renderer chose (kept in ``--work``, re-rendered only when missing);
- **realdev** (``../shared/realdev``, skipped and said so when absent): no tempo or key labels,
  so Essentia's answers are the reference there, as in issue 14.

Per set it prints, for each tool: tempo Acc1 (within 4 %) and Acc2 (within 4 % of the tempo or
of 2, 3, 1/2 or 1/3 times it), the octave-error share (Acc2 - Acc1), the share without a tempo;
key MIREX score (mir_eval's weights: 1 same, 0.5 a fifth above, 0.3 relative, 0.2 parallel); the
share of the most common tonic; the four-on-the-floor rate on clips of four-on-the-floor styles
(realdev's hard-techno and house/techno/trance folders, rendered genres whose profile says so);
realdev hard-techno excerpts read below 100 BPM; and seconds per clip. On rendered clips it
also scores GenreLens's downbeats and section boundaries against the renderer's bars
(neither reference tool has them); on realdev it prints each folder's mean energy rating.
GenreLens is the whole ``analyze_path`` (its tempo after the family convention, its key from the
edma profiles); librosa is ``beat.beat_track`` and ``chroma_stft`` summed, scored with the
Krumhansl-Kessler profiles.

Essentia (``RhythmExtractor2013(method="multifeature")``, ``KeyExtractor(profileType="edma")``)
runs in its own interpreter, a scratch venv, never a dependency of GenreLens::

    python3.11 -m venv /tmp/ess && /tmp/ess/bin/pip install essentia numpy
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import multiprocessing
import subprocess
import time
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

__all__: list[str] = []

SR = 22050
TOLERANCE = 0.04
_PITCH = {"C": 0, "C#": 1, "Db": 1, "D": 2, "D#": 3, "Eb": 3, "E": 4, "F": 5, "F#": 6, "Gb": 6,
          "G": 7, "G#": 8, "Ab": 8, "A": 9, "A#": 10, "Bb": 10, "B": 11}
_FOUR_FLOOR_REAL = ("hardtechno", "audioset")

_ESSENTIA_RUNNER = """
import json, sys, time
import essentia
essentia.log.warningActive = False
import essentia.standard as es
key, rhythm = es.KeyExtractor(profileType="edma"), es.RhythmExtractor2013(method="multifeature")
for line in sys.stdin:
    path = line.strip()
    try:
        audio = es.MonoLoader(filename=path, sampleRate=44100)()
        t = time.perf_counter()
        tonic, mode, _ = key(audio)
        bpm = rhythm(audio)[0]
        out = {"file": path, "key": [tonic, mode], "bpm": float(bpm), "s": time.perf_counter() - t}
    except Exception as exc:
        out = {"file": path, "error": str(exc)}
    print(json.dumps(out), flush=True)
"""


def _render(work: Path, per_genre: int, seconds: float) -> list[dict[str, Any]]:
    import soundfile as sf

    from genrelens.synth.dataset import seeds_for_split
    from genrelens.synth.render import render_clip
    from genrelens.taxonomy import load_taxonomy
    from genrelens.taxonomy.schema import MODELLED_GENRES

    rhythm = {g.slug: g.rhythm for g in load_taxonomy().genres}
    truth = work / f"rendered-{per_genre}x{seconds:g}s-v2.json"
    if truth.is_file():
        return list(json.loads(truth.read_text()))
    rows = []
    for seed in seeds_for_split("test", per_genre):
        for genre in MODELLED_GENRES:
            clip = render_clip(genre, seed=seed, seconds=seconds)
            path = work / "rendered" / f"{genre}-{seed}.flac"
            path.parent.mkdir(parents=True, exist_ok=True)
            sf.write(str(path), clip.audio, clip.sr, format="FLAC", subtype="PCM_16")
            tonic, mode = clip.key.split()
            rows.append({"file": str(path), "group": genre, "bpm": clip.tempo_bpm,
                         "key": [tonic, mode], "four_floor": rhythm[genre] == "four_on_the_floor",
                         "first_downbeat_s": clip.meta["first_downbeat_s"],
                         "section_starts_s": [t for t, _ in clip.meta["section_starts_s"][1:]]})
    truth.write_text(json.dumps(rows))
    return rows


def _realdev(root: Path) -> list[dict[str, Any]]:
    with (root / "manifest.csv").open() as handle:
        return [{"file": str(root / r["file"]), "group": f"{r['source_set']}:{r['label']}",
                 "four_floor": r["source_set"] in _FOUR_FLOOR_REAL and r["label"] != "electronic"}
                for r in csv.DictReader(handle)]


def _genrelens(path: str) -> dict[str, Any]:
    from genrelens.predict.pipeline import analyze_path
    from genrelens.timelimit import time_limit

    started = time.perf_counter()
    try:
        with time_limit(120):
            result = analyze_path(path).to_dict()
    except Exception as exc:  # noqa: BLE001 - a failure is a row of the table, not a crash
        return {"file": path, "error": f"{type(exc).__name__}: {exc}"}
    key = result["key"]
    return {"file": path, "bpm": result["tempo"]["bpm"] or 0.0, "basis": result["tempo"]["basis"],
            "key": [key["tonic"], key["mode"]] if key else None,
            "rhythm": result["rhythm"]["pattern"], "s": time.perf_counter() - started,
            "downbeats_s": result["grid"]["downbeats_s"] if result["grid"] else [],
            "section_starts_s": [x["start_s"] for x in result["sections"][1:]],
            "energy": result["energy"]["level"]}


def _librosa(path: str) -> dict[str, Any]:
    import librosa

    from genrelens.audio.decode import load_audio
    from genrelens.features.tonal import PITCH_CLASSES, estimate_key

    y = load_audio(path, sr=SR)
    started = time.perf_counter()
    tempo, _ = librosa.beat.beat_track(y=y, sr=SR)
    key = estimate_key(librosa.feature.chroma_stft(y=y, sr=SR).sum(axis=1), profile="krumhansl")
    return {"file": path, "bpm": float(np.atleast_1d(tempo)[0]),
            "key": [PITCH_CLASSES[PITCH_CLASSES.index(key.tonic)], key.mode] if key else None,
            "s": time.perf_counter() - started}


def _answers_in(cache: Path) -> dict[str, dict[str, Any]]:
    """A tool's answers kept from earlier runs, by file (the cache is one JSON line a clip)."""
    if not cache.is_file():
        return {}
    return {r["file"]: r for r in map(json.loads, cache.read_text().splitlines())}


def _cached(work: Path, tool: str, func: Any, files: list[str], jobs: int) -> dict[str, dict[str, Any]]:
    """``func`` on each file not answered yet, ``jobs`` processes at a time, appended to the cache.

    The first file runs here alone: librosa's numba functions write their on-disk cache on first
    use, and two workers writing it at once left one that segfaults every later process
    (numba 0.68). A worker that dies anyway stops the run with ``BrokenProcessPool`` rather than
    leaving ``multiprocessing.Pool`` waiting for its answer forever.
    """
    cache = work / f"{tool}.jsonl"
    done = _answers_in(cache)
    todo = [f for f in files if f not in done]
    if todo:
        print(f"{tool}: {len(todo)} clips to run", flush=True)
        context = multiprocessing.get_context("spawn")
        with cache.open("a") as out, ProcessPoolExecutor(jobs, mp_context=context) as pool:
            first = [func(todo[0])]
            for row in itertools.chain(first, pool.map(func, todo[1:], chunksize=4)):
                done[row["file"]] = row
                out.write(json.dumps(row) + "\n")
                out.flush()
    return done


def _essentia(work: Path, python: str, files: list[str]) -> dict[str, dict[str, Any]]:
    cache = work / "essentia.jsonl"
    done = _answers_in(cache)
    todo = [f for f in files if f not in done]
    if todo:
        print(f"essentia: {len(todo)} clips to run", flush=True)
        ran = subprocess.run([python, "-c", _ESSENTIA_RUNNER], input="\n".join(todo) + "\n",
                             capture_output=True, text=True, check=True)
        with cache.open("a") as out:
            for line in ran.stdout.splitlines():
                row = json.loads(line)
                done[row["file"]] = row
                out.write(line + "\n")
    return done


def _pitch(key: list[str] | None) -> tuple[int, str] | None:
    return None if key is None else (_PITCH[key[0]], key[1])


def mirex(estimate: tuple[int, str] | None, reference: tuple[int, str] | None) -> float:
    """MIREX weighted key score as mir_eval computes it (0 without an estimate)."""
    if estimate is None or reference is None:
        return 0.0
    (et, em), (rt, rm) = estimate, reference
    if (et, em) == (rt, rm):
        return 1.0
    if em == rm and (et - rt) % 12 == 7:
        return 0.5
    if (em, rm) == ("minor", "major") and (rt - et) % 12 == 3:
        return 0.3
    if (em, rm) == ("major", "minor") and (et - rt) % 12 == 3:
        return 0.3
    return 0.2 if et == rt else 0.0


def _within(bpm: float, reference: float, factors: Iterable[float]) -> bool:
    return bpm > 0 and any(abs(bpm - f * reference) <= TOLERANCE * f * reference for f in factors)


def _metrics(rows: list[dict[str, Any]], answers: dict[str, dict[str, Any]],
             reference: dict[str, tuple[float, tuple[int, str] | None]]) -> dict[str, float]:
    got = [(r, answers.get(r["file"], {})) for r in rows if r["file"] in reference]
    acc1 = [_within(a.get("bpm", 0.0), reference[r["file"]][0], (1.0,)) for r, a in got]
    acc2 = [_within(a.get("bpm", 0.0), reference[r["file"]][0], (1.0, 2.0, 3.0, 0.5, 1 / 3))
            for r, a in got]
    keys = [mirex(_pitch(a.get("key")), reference[r["file"]][1]) for r, a in got]
    tonics = Counter(a["key"][0] for _, a in got if a.get("key"))
    four = [a.get("rhythm") == "four_on_the_floor" for r, a in got if r["four_floor"]]
    hard = [a.get("bpm", 0.0) for r, a in got if r["group"].startswith("hardtechno")]
    return {
        "clips": len(got),
        "tempo_acc1": float(np.mean(acc1)), "tempo_acc2": float(np.mean(acc2)),
        "octave_errors": float(np.mean(acc2) - np.mean(acc1)),
        "no_tempo": float(np.mean([not a.get("bpm") for _, a in got])),
        "key_mirex": float(np.mean(keys)),
        "top_tonic_share": max(tonics.values()) / sum(tonics.values()) if tonics else 0.0,
        "four_floor_rate": float(np.mean(four)) if four and "rhythm" in got[0][1] else float("nan"),
        "hardtechno_below_100": float(sum(0 < b < 100 for b in hard)) if hard else float("nan"),
        "seconds_per_clip": float(np.mean([a.get("s", np.nan) for _, a in got])),
    }


def _structure(rows: list[dict[str, Any]], answers: dict[str, dict[str, Any]]) -> dict[str, float]:
    """Downbeats and section boundaries on rendered clips, within the renderer's bars.

    A clip's downbeats are right when their median distance to the renderer's bar lines is under
    70 ms (a clip without a grid is wrong); a boundary is hit when one is within one bar.
    """
    right, hits, found, near = [], 0, 0, 0
    true_boundaries = 0
    for r in rows:
        a = answers.get(r["file"], {})
        bar = 240.0 / r["bpm"]
        downbeats = np.array(a.get("downbeats_s", []))
        offsets = (downbeats - r["first_downbeat_s"] + bar / 2) % bar - bar / 2
        right.append(bool(len(downbeats)) and float(np.median(np.abs(offsets))) < 0.07)
        predicted = a.get("section_starts_s", [])
        true_boundaries += len(r["section_starts_s"])
        hits += sum(any(abs(t - p) <= bar for p in predicted) for t in r["section_starts_s"])
        found += len(predicted)
        near += sum(any(abs(t - p) <= bar for t in r["section_starts_s"]) for p in predicted)
    return {"clips": len(rows), "downbeat_acc": float(np.mean(right)),
            "boundaries": float(true_boundaries),
            "boundary_hit_rate": hits / true_boundaries if true_boundaries else float("nan"),
            "boundary_precision": near / found if found else float("nan")}


def _print(title: str, table: dict[str, dict[str, float]]) -> None:
    names = list(next(iter(table.values())))
    print(f"\n{title}\n{'':22s}" + "".join(f"{tool:>12s}" for tool in table))
    for name in names:
        print(f"{name:22s}" + "".join(f"{table[tool][name]:12.3f}" for tool in table))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--real", type=Path, default=Path("../shared/realdev"))
    parser.add_argument("--per-genre", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--essentia-python", help="interpreter of a venv with essentia")
    parser.add_argument("--work", type=Path, default=Path.home() / ".cache/genrelens/bench_dj",
                        help="rendered clips and per-tool answers (delete the genrelens.jsonl to rerun)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)

    rendered = _render(args.work, args.per_genre, args.seconds)
    real = _realdev(args.real) if (args.real / "manifest.csv").is_file() else []
    if not real:
        print(f"realdev: not found at {args.real}; rendered clips only")
    files = [r["file"] for r in rendered + real]
    answers = {"genrelens": _cached(args.work, "genrelens", _genrelens, files, args.jobs),
               "librosa": _cached(args.work, "librosa", _librosa, files, args.jobs)}
    if args.essentia_python:
        answers["essentia"] = _essentia(args.work, args.essentia_python, files)
    else:
        print("essentia: skipped (no --essentia-python); realdev needs it as its reference")

    report: dict[str, Any] = {}
    truth = {r["file"]: (float(r["bpm"]), _pitch(r["key"])) for r in rendered}
    report["rendered (renderer's tempo and key)"] = {
        tool: _metrics(rendered, a, truth) for tool, a in answers.items()}
    if real and "essentia" in answers:
        ess = {f: (r["bpm"], _pitch(r["key"])) for f, r in answers["essentia"].items() if "bpm" in r}
        for name, rows in (("realdev, all", real),
                           *((f"realdev, {s}", [r for r in real if r["group"].startswith(s)])
                             for s in ("hardtechno", "audioset", "emotify"))):
            report[f"{name} (Essentia as reference)"] = {
                tool: _metrics(rows, a, ess) for tool, a in answers.items() if tool != "essentia"}
    report["rendered structure (renderer's bars and sections)"] = {
        "genrelens": _structure(rendered, answers["genrelens"])}
    if real:
        energy: dict[str, list[int]] = {}
        for r in real:
            if "energy" in answers["genrelens"].get(r["file"], {}):
                energy.setdefault(r["group"], []).append(answers["genrelens"][r["file"]]["energy"])
        report["realdev energy 1-10 (mean by folder)"] = {
            "genrelens": {g: float(np.mean(v)) for g, v in sorted(energy.items())}}
    for title, table in report.items():
        _print(title, table)
    gl = answers["genrelens"]
    print("\nGenreLens tempo basis:", dict(Counter(a.get("basis", "error") for a in gl.values())))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
