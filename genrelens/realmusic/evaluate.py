"""``genrelens evaluate --real``: a model, the shipped model and two baselines on real clips.

Every clip is analysed once per checkpoint with the same pipeline users get
(:func:`genrelens.predict.pipeline.analyze_path`), and what the report needs of the result (family and
genre shares, the unsure flag and reasons, the measured tempo and the electronic gate's musicnn
tags and embeddings) is cached as JSON under
``<cache>/<checkpoint sha256[:16]>-<CACHE_VERSION>/<audio sha256>.json``, so a rerun, or a new
way of reading the same answers, costs seconds instead of an hour.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from genrelens.backbone.gate import ELECTRONIC_THRESHOLD, ElectronicGate
from genrelens.datasets.cache import file_digest
from genrelens.errors import GenreLensError, ModelMismatchError
from genrelens.model.identity import default_weights_path
from genrelens.predict.infer import GenreModel
from genrelens.predict.pipeline import analyze_path
from genrelens.realmusic.clips import RealClip, read_clips
from genrelens.realmusic.metrics import (
    Answer,
    CurvePoint,
    FolderMetrics,
    coverage_curve,
    folder_families,
    folder_metrics,
    majority_share,
    restricted_accuracy,
    sure_counts,
)
from genrelens.realmusic.tempo import cross_validated_tempo_rule

__all__ = [
    "CACHE_VERSION",
    "default_cache_root",
    "ClipRecord",
    "clip_record",
    "analysed_records",
    "answer_from_record",
    "FolderReport",
    "RealReport",
    "real_report",
    "real_evaluate",
]

#: Bumped whenever :class:`ClipRecord` changes, so old cache entries are not misread.
CACHE_VERSION = "v2"
#: Progress callback: ``(index, total, clip)`` before each clip is read.
Progress = Callable[[int, int, RealClip], None]


def default_cache_root() -> Path:
    """``$XDG_CACHE_HOME/genrelens/real`` (``~/.cache/genrelens/real`` by default)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "genrelens" / "real"


@dataclass(frozen=True, kw_only=True)
class ClipRecord:
    """What one checkpoint's analysis said about one audio file (the cached part)."""

    families: dict[str, float]
    genres: dict[str, float]
    unsure: bool
    reasons: list[str]
    tempo_bpm: float | None
    electronic_probability: float | None
    tags: dict[str, list[float]] = field(default_factory=dict)  #: gate's musicnn tags per model
    embeddings: dict[str, list[float]] = field(default_factory=dict)  #: its penultimate layer, mean
    features: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ClipRecord:
        return cls(**data)


def clip_record(path: Path, model: GenreModel) -> ClipRecord:
    """Analyse ``path`` with ``model`` (raises the pipeline's ``GenreLensError`` on bad audio)."""
    gates: list[ElectronicGate] = []
    result = analyze_path(path, model=model, on_gate=gates.append)
    tags = {name: [round(float(p), 5) for p in summary.probabilities]
            for gate in gates for name, summary in gate.summaries.items()}
    embeddings = {name: [round(float(v), 5) for v in summary.penultimate]
                  for gate in gates for name, summary in gate.summaries.items()}
    return ClipRecord(
        families={s.slug: s.probability for s in result.families},
        genres={s.slug: s.probability for s in result.genres},
        unsure=result.confidence.unsure,
        reasons=list(result.confidence.reasons),
        tempo_bpm=result.tempo.bpm,
        electronic_probability=result.confidence.electronic_probability,
        tags=tags,
        embeddings=embeddings,
        features=dict(result.features),
    )


def analysed_records(
    clips: Sequence[RealClip],
    *,
    model_path: Path,
    cache_root: Path | None,
    progress: Progress | None = None,
) -> tuple[list[ClipRecord | None], list[str]]:
    """One record per clip (None where the audio could not be read) and one line per failure."""
    if not model_path.is_file():
        raise ModelMismatchError(f"no genre model at {model_path}", extra={"path": str(model_path)})
    model: GenreModel | None = None
    folder = None if cache_root is None else cache_root / f"{file_digest(model_path)[:16]}-{CACHE_VERSION}"
    records: list[ClipRecord | None] = []
    failures: list[str] = []
    for index, clip in enumerate(clips):
        if progress is not None:
            progress(index, len(clips), clip)
        entry = None if folder is None else folder / f"{file_digest(clip.path)}.json"
        if entry is not None and entry.is_file():
            records.append(ClipRecord.from_dict(json.loads(entry.read_text(encoding="utf-8"))))
            continue
        model = model or GenreModel.load(model_path)
        try:
            record = clip_record(clip.path, model)
        except GenreLensError as error:
            failures.append(f"{clip.path}: {error.message} [{error.code}]")
            records.append(None)
            continue
        if entry is not None:
            entry.parent.mkdir(parents=True, exist_ok=True)
            # A name of this process's own: two runs over one folder share the cache.
            tmp = entry.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(asdict(record)), encoding="utf-8")
            tmp.replace(entry)
        records.append(record)
    return records, failures


def answer_from_record(record: ClipRecord, *, gate_threshold: float = ELECTRONIC_THRESHOLD) -> Answer:
    """The model's own answer: its family shares and its unsure flag.

    The ``not_electronic`` reason is decided again from the cached gate score, so a cache
    written under another gate threshold (the one limit not stored in the checkpoint) still
    gives the answer the current code gives.
    """
    others = [r for r in record.reasons if r != "not_electronic"]
    score = record.electronic_probability
    not_electronic = score is not None and score < gate_threshold
    return Answer(families=record.families, unsure=bool(others) or not_electronic,
                  not_electronic=not_electronic)


@dataclass(frozen=True, kw_only=True)
class FolderReport:
    """A folder's figures: each system's metrics and the baselines' restricted top-1."""

    families: tuple[str, ...]
    systems: dict[str, FolderMetrics]
    majority: float | None
    tempo_rule: float | None  #: restricted top-1 of the tempo rule, cross-validated by group


@dataclass(frozen=True, kw_only=True)
class RealReport:
    """The whole real-music report."""

    root: str
    folders: dict[str, FolderReport]
    sure: dict[str, tuple[int, int]]  #: system -> (answers not flagged unsure, right) overall
    curve: dict[str, list[CurvePoint]]  #: system -> ``coverage_curve`` over every folder
    failures: list[str]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for name, (answered, right) in self.sure.items():
            data["sure"][name] = {"answers": answered, "right": right,
                                  "accuracy": right / answered if answered else None}
        return data

    def format_text(self) -> str:
        """Human-readable tables, one per folder, then the overall "right when sure"."""
        def pct(value: float | None) -> str:
            return "   -  " if value is None else f"{value:6.3f}"

        lines = [f"real-music evaluation of {self.root}"]
        for name, folder in self.folders.items():
            any_metrics = next(iter(folder.systems.values()))
            lines.append(f"\n{name}: {any_metrics.clips} clips; families {', '.join(folder.families) or '-'}")
            lines.append(f"  baselines (restricted top-1): majority {pct(folder.majority)}  "
                         f"tempo rule (CV by group) {pct(folder.tempo_rule)}")
            lines.append("  system        top1-open restricted unsure  sure-acc (n)  "
                         "e-pass  ne-flag ne-unsure")
            for system, m in folder.systems.items():
                lines.append(
                    f"  {system:<12}  {pct(m.top1_open)}    {pct(m.top1_restricted)}  "
                    f"{pct(m.unsure_rate)} {pct(m.sure_accuracy)} ({m.sure_answers:3d}) "
                    f"{pct(m.electronic_pass)}  {pct(m.not_electronic_flagged)}  "
                    f"{pct(m.not_electronic_unsure)}"
                )
        lines.append("")
        for system, (answered, right) in self.sure.items():
            accuracy = f"{right / answered:.3f}" if answered else "-"
            lines.append(f"right when not unsure ({system}): {accuracy} over {answered} answers")
        for system, points in self.curve.items():
            lines.append(f"\ncoverage / accuracy ({system}), answering when the gate passes and "
                         "the top family reaches the limit:")
            lines.append("  limit  answered  right")
            for point in points:
                share = point.answered / point.clips if point.clips else 0.0
                accuracy = f"{point.right / point.answered:.3f}" if point.answered else "  -  "
                lines.append(f"  {point.limit:5.2f}  {share:8.3f}  {accuracy}  ({point.answered})")
        if self.failures:
            lines.append(f"{len(self.failures)} clip(s) could not be read and were left out")
        return "\n".join(lines)


def real_report(
    root: str,
    clips: Sequence[RealClip],
    systems: Mapping[str, Sequence[Answer | None]],
    tempo_bpm: Sequence[float | None],
    *,
    failures: Sequence[str] = (),
) -> RealReport:
    """Group clips by folder and score every system; clips any system lacks are left out."""
    keep = [i for i in range(len(clips)) if all(answers[i] is not None for answers in systems.values())]
    folders: dict[str, FolderReport] = {}
    sure: dict[str, tuple[int, int]] = dict.fromkeys(systems, (0, 0))
    for name in sorted({clips[i].folder for i in keep}):
        index = [i for i in keep if clips[i].folder == name]
        members = [clips[i] for i in index]
        families = folder_families(members)
        scored: dict[str, FolderMetrics] = {}
        for system, answers in systems.items():
            chosen = [a for a in (answers[i] for i in index) if a is not None]
            scored[system] = folder_metrics(members, chosen)
            answered, right = sure_counts(members, chosen)
            sure[system] = (sure[system][0] + answered, sure[system][1] + right)
        labelled = [c for c in members if c.has_family]
        tempo = None
        if len(families) >= 2 and len({c.group for c in labelled}) >= 2:
            bpm = np.array([tempo_bpm[i] or 0.0 for i in index if clips[i].has_family])
            guesses = cross_validated_tempo_rule(
                bpm, np.array([c.family for c in labelled], dtype=object),
                np.array([c.group for c in labelled], dtype=object))
            tempo = restricted_accuracy(labelled, list(guesses))
        folders[name] = FolderReport(families=families, systems=scored,
                                     majority=majority_share(members), tempo_rule=tempo)
    curve = {system: coverage_curve([clips[i] for i in keep],
                                    [a for a in (answers[i] for i in keep) if a is not None])
             for system, answers in systems.items()}
    return RealReport(root=root, folders=folders, sure=sure, curve=curve, failures=list(failures))


def real_evaluate(
    root: str | os.PathLike[str],
    *,
    model: str | os.PathLike[str] | None = None,
    cache_root: Path | None = None,
    every: int = 1,
    progress: Progress | None = None,
) -> RealReport:
    """Evaluate ``model`` (the shipped one when None) and, if it is another, the shipped one too.

    Parameters
    ----------
    root : path
        A real-music folder (:func:`genrelens.realmusic.clips.read_clips`).
    model : path or None
        A checkpoint; None (or the shipped file itself) evaluates the shipped model alone.
    cache_root : Path or None
        Where per-clip analyses are cached (:func:`default_cache_root`); None reads and writes none.
    every : int
        Evaluate every ``every``-th clip of each folder.
    progress : callable, optional

    Raises
    ------
    DatasetError, ModelMismatchError
        The folder holds no labelled audio, or the checkpoint cannot be loaded.
    """
    clips = read_clips(Path(root), every=every)
    shipped = default_weights_path()
    paths = {"shipped": shipped}
    if model is not None and Path(model).resolve() != shipped.resolve():
        paths = {"model": Path(model), "shipped": shipped}
    systems: dict[str, list[Answer | None]] = {}
    tempo: list[float | None] = [None] * len(clips)
    failures: list[str] = []
    for name, path in paths.items():
        records, failed = analysed_records(clips, model_path=path, cache_root=cache_root, progress=progress)
        failures.extend(failed)
        systems[name] = [None if r is None else answer_from_record(r) for r in records]
        tempo = [t if t is not None else (None if r is None else r.tempo_bpm)
                 for t, r in zip(tempo, records, strict=True)]
    return real_report(str(root), clips, systems, tempo, failures=sorted(set(failures)))
