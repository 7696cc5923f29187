"""Train and evaluate from a labelled source: the services behind ``genrelens train/evaluate``."""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from genrelens.datasets.labels import LabelResolver, load_label_mapping
from genrelens.datasets.sources import LabeledDataset, LabeledTrack, assign_splits, load_dataset
from genrelens.errors import DatasetError
from genrelens.model.checkpoint import Checkpoint, load_checkpoint, save_checkpoint
from genrelens.model.config import ModelConfig, TrainConfig, current_feature_params
from genrelens.model.identity import default_weights_path
from genrelens.model.network import run_network
from genrelens.predict.infer import GenreModel, softmax
from genrelens.predict.unsure import UnsureThresholds
from genrelens.train.baseline import baseline_probs, fit_baseline
from genrelens.train.build import BuiltSet, Extract, build_window_set
from genrelens.train.calibrate import fit_unsure_thresholds
from genrelens.train.evaluate import EvalReport, evaluate_probs, plot_confusion, track_level
from genrelens.train.rendered import RenderExtractor, RenderSpec, rendered_tracks, renderer_fingerprint
from genrelens.train.train import train_model
from genrelens.train.windows import FileExtractor

__all__ = [
    "RENDERED_MANIFEST",
    "DEFAULT_CACHE_DIR",
    "DEFAULT_WORK_DIR",
    "TaxonomyLabels",
    "taxonomy_labels",
    "split_tracks",
    "TrainOptions",
    "TrainSummary",
    "model_train",
    "EvalOptions",
    "EvalSummary",
    "model_evaluate",
]

#: Where ``genrelens dataset`` writes the rendered training set.
RENDERED_MANIFEST = Path("datasets/rendered/manifest.csv")
#: Feature cache of training and evaluation runs.
DEFAULT_CACHE_DIR = Path(".cache/genrelens/features")
#: Resumable training state.
DEFAULT_WORK_DIR = Path("var/train")
#: Split names as data sets write them -> ours.
SPLIT_ALIASES = {
    "train": "train",
    "training": "train",
    "val": "val",
    "valid": "val",
    "validation": "val",
    "test": "test",
    "ood": "ood",
}
#: Track-id range of each split (ids never collide across splits).
TRACK_ID_STRIDE = 10**9
#: Validation share carved out of training tracks when a source has no validation split.
VAL_FRACTION = 0.15


@dataclass(frozen=True)
class TaxonomyLabels:
    """What the model needs from the taxonomy: label order, aliases, families, names, profiles."""

    slugs: tuple[str, ...]
    aliases: dict[str, str]
    family_of: dict[str, str]
    names: dict[str, str]
    profiles: dict[str, dict[str, Any]]


def taxonomy_labels() -> TaxonomyLabels:
    """Modelled genres of ``data/taxonomy.yaml`` in the taxonomy's stable label order."""
    from genrelens.taxonomy import load_taxonomy

    tax = load_taxonomy()
    genres = tax.modelled()
    profiles: dict[str, dict[str, Any]] = {}
    for g in genres:
        prof: dict[str, Any] = {k: list(v) for k, v in g.profile.ranges().items()}
        prof["rhythm"] = g.profile.rhythm
        prof["mode"] = g.profile.mode
        profiles[g.slug] = prof
    return TaxonomyLabels(
        slugs=tuple(g.slug for g in genres),
        aliases={a: g.slug for g in genres for a in (*g.aliases, g.name)},
        family_of={g.slug: g.family for g in genres},
        names={g.slug: g.name for g in genres},
        profiles=profiles,
    )


def split_tracks(dataset: LabeledDataset, *, test_fraction: float = 0.15) -> dict[str, list[LabeledTrack]]:
    """Tracks by split: ``train``, ``val``, ``test`` and ``ood`` (rendered OOD variant).

    Sources without splits get a stratified, stable split; a source without a validation split
    gets one carved out of its training tracks.
    """
    tracks: list[LabeledTrack] = []
    for t in dataset.tracks:
        split = "ood" if t.variant == "ood" else SPLIT_ALIASES.get((t.split or "").lower())
        tracks.append(dataclasses.replace(t, split=split))
    tracks = assign_splits(tracks, val_fraction=VAL_FRACTION, test_fraction=test_fraction)
    out: dict[str, list[LabeledTrack]] = {"train": [], "val": [], "test": [], "ood": []}
    for t in tracks:
        out.setdefault(t.split or "train", []).append(t)
    if not out["val"] and out["train"]:
        carved = assign_splits(
            [dataclasses.replace(t, split=None) for t in out["train"]],
            val_fraction=VAL_FRACTION,
            test_fraction=0.0,
        )
        out["train"] = [t for t in carved if t.split == "train"]
        out["val"] = [t for t in carved if t.split == "val"]
    return out


@dataclass(frozen=True)
class TrainOptions:
    """Options of :func:`model_train` (see ``genrelens train --help``)."""

    out: Path
    data: Path | None = None
    render: RenderSpec | None = None
    label_map: Path | None = None
    own_labels: bool = False
    base: str | None = None
    work_dir: Path = DEFAULT_WORK_DIR
    cache_dir: Path | None = DEFAULT_CACHE_DIR
    train_config: TrainConfig = field(default_factory=TrainConfig)
    with_embedding: bool = False
    use_logmel: bool = True
    workers: int = 1
    resume: bool = True
    stop_after: int | None = None
    version: str = "0"
    baseline: bool = True
    report_json: Path | None = None
    confusion_png: Path | None = None


@dataclass
class TrainSummary:
    """What :func:`model_train` did and measured (track-level reports)."""

    checkpoint_path: Path
    labels: tuple[str, ...]
    tracks: dict[str, int]
    windows: dict[str, int]
    failures: list[tuple[str, str]]
    history: list[dict[str, float]]
    reports: dict[str, EvalReport]
    seconds: dict[str, float]
    metrics: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "checkpoint": str(self.checkpoint_path),
            "labels": list(self.labels),
            "tracks": self.tracks,
            "windows": self.windows,
            "failures": self.failures,
            "history": self.history,
            "reports": {k: v.to_dict() for k, v in self.reports.items()},
            "seconds": self.seconds,
            "metrics": self.metrics,
        }


def _resolver(
    *, known: Sequence[str] | None, label_map: Path | None, tax: TaxonomyLabels | None
) -> LabelResolver:
    mapping = load_label_mapping(label_map) if label_map is not None else {}
    aliases = tax.aliases if tax is not None and known is not None else {}
    return LabelResolver(known=known, mapping=mapping, aliases=aliases)


def _extractor(cache_dir: Path | None, *, with_embedding: bool, render: RenderSpec | None) -> Extract:
    if render is not None:
        return RenderExtractor(render.seconds, cache_dir, with_embedding)
    return FileExtractor(cache_dir, with_embedding)


def _load_source(
    data: Path | None, render: RenderSpec | None, resolver: LabelResolver
) -> tuple[LabeledDataset, str]:
    if render is not None:
        return LabeledDataset(tracks=rendered_tracks(render), kind="rendered"), "renderer"
    source = data if data is not None else RENDERED_MANIFEST
    if data is None and not source.is_file():
        raise DatasetError(
            f"no rendered training set at {source}; run `genrelens dataset`, or pass --data or --render"
        )
    return load_dataset(source, resolver=resolver), str(source)


def _track_report(
    built: BuiltSet,
    probs: np.ndarray,
    *,
    labels: Sequence[str],
    family_of: dict[str, str] | None,
    thresholds: UnsureThresholds | None = None,
) -> EvalReport:
    tp, tl, _ = track_level(probs, built.windows.labels, built.windows.track_ids)
    return evaluate_probs(tp, tl, labels=labels, family_of=family_of, thresholds=thresholds)


def _calibrated_probs(ckpt: Checkpoint, built: BuiltSet) -> np.ndarray:
    w = built.windows
    return softmax(
        run_network(ckpt.net, w.logmel, w.summary, w.embedding).logits, temperature=ckpt.temperature
    )


def model_train(opts: TrainOptions, *, progress: TextIO | None = sys.stderr) -> TrainSummary:
    """Build (or read cached) features, train, calibrate, evaluate and save a checkpoint.

    Labels are taxonomy slugs (unknown labels rejected unless mapped) or, with
    ``own_labels``, the source's own genre names. ``base`` (``"default"`` or a checkpoint
    path) fine-tunes an existing model instead of starting from scratch.

    Raises
    ------
    DatasetError, UnknownLabelError, ModelMismatchError
    """

    def say(msg: str) -> None:
        if progress is not None:
            print(msg, file=progress, flush=True)

    t_start = time.perf_counter()
    tax = None if opts.own_labels else taxonomy_labels()
    resolver = _resolver(known=None if tax is None else tax.slugs, label_map=opts.label_map, tax=tax)
    dataset, source = _load_source(opts.data, opts.render, resolver)
    splits = split_tracks(dataset)
    present = {t.label for t in splits["train"]}
    labels = tuple(s for s in tax.slugs if s in present) if tax is not None else tuple(sorted(present))
    if len(labels) < 2:
        raise DatasetError(f"{source}: training needs at least 2 labels, found {len(labels)}")
    for name in ("val", "test", "ood"):
        splits[name] = [t for t in splits[name] if t.label in present]
    say(
        f"data: {source} ({dataset.kind}), {len(labels)} labels, "
        + ", ".join(f"{k} {len(v)}" for k, v in splits.items())
        + " tracks"
    )
    extract = _extractor(opts.cache_dir, with_embedding=opts.with_embedding, render=opts.render)
    t_feat = time.perf_counter()
    built: dict[str, BuiltSet] = {}
    for offset, (name, tracks) in enumerate(splits.items()):
        if tracks:
            built[name] = build_window_set(
                tracks,
                labels=labels,
                extract=extract,
                name=name,
                first_track_id=offset * TRACK_ID_STRIDE,
                progress=progress,
                workers=opts.workers,
            )
    seconds = {"features": time.perf_counter() - t_feat}
    if "train" not in built or "val" not in built:
        raise DatasetError(f"{source}: need training and validation tracks")
    base_net = None
    features = current_feature_params()
    config = ModelConfig(
        labels=labels,
        features=features,
        use_logmel=opts.use_logmel,
        embedding_dim=(
            0 if built["train"].windows.embedding is None else built["train"].windows.embedding.shape[1]
        ),
        version=opts.version,
    )
    if opts.base is not None:
        base = load_checkpoint(
            default_weights_path() if opts.base == "default" else opts.base, expected_features=features
        )
        config = dataclasses.replace(base.config, labels=labels, version=opts.version)
        base_net = base.net
    t_train = time.perf_counter()
    result = train_model(
        built["train"].windows,
        built["val"].windows,
        config=config,
        train_config=opts.train_config,
        work_dir=opts.work_dir,
        base=base_net,
        resume=opts.resume,
        stop_after=opts.stop_after,
        progress=progress,
    )
    seconds["train"] = time.perf_counter() - t_train
    ckpt = result.checkpoint
    family_of = tax.family_of if tax is not None else None
    window_probs = {
        name: _calibrated_probs(ckpt, built[name]) for name in ("val", "test", "ood") if name in built
    }
    val_probs, val_labels, _ = track_level(
        window_probs["val"], built["val"].windows.labels, built["val"].windows.track_ids
    )
    thresholds = fit_unsure_thresholds(val_probs, val_labels)
    ckpt.unsure_thresholds = dataclasses.asdict(thresholds)
    reports: dict[str, EvalReport] = {}
    pipe = fit_baseline(built["train"].windows, seed=opts.train_config.seed) if opts.baseline else None
    for name, probs in window_probs.items():
        reports[name] = _track_report(
            built[name], probs, labels=labels, family_of=family_of, thresholds=thresholds
        )
        if pipe is not None and name in ("test", "ood"):
            bp = baseline_probs(pipe, built[name].windows.summary, n_classes=len(labels))
            reports[f"{name}_baseline"] = _track_report(built[name], bp, labels=labels, family_of=family_of)
    ckpt.metrics.update(
        {
            "track_reports": {
                k: {
                    **{m: getattr(v, m) for m in ("n", "accuracy", "top3", "macro_f1", "ece")},
                    "selective": v.selective,
                }
                for k, v in reports.items()
            },
            "source": source,
            "render": None if opts.render is None else dataclasses.asdict(opts.render),
            "renderer_fingerprint": None if opts.render is None else renderer_fingerprint(),
            "train_config": dataclasses.asdict(opts.train_config),
        }
    )
    save_checkpoint(ckpt, opts.out)
    seconds["total"] = time.perf_counter() - t_start
    summary = TrainSummary(
        checkpoint_path=opts.out,
        labels=labels,
        tracks={k: len(v.tracks) for k, v in built.items()},
        windows={k: len(v.windows) for k, v in built.items()},
        failures=[(str(p), m) for b in built.values() for p, m in b.failures],
        history=result.history,
        reports=reports,
        seconds=seconds,
        metrics=ckpt.metrics,
    )
    if opts.confusion_png is not None and "test" in reports:
        plot_confusion(reports["test"], opts.confusion_png, title="held-out test tracks")
    if opts.report_json is not None:
        opts.report_json.parent.mkdir(parents=True, exist_ok=True)
        opts.report_json.write_text(json.dumps(summary.to_dict(), indent=1), encoding="utf-8")
    return summary


@dataclass(frozen=True)
class EvalOptions:
    """Options of :func:`model_evaluate` (see ``genrelens evaluate --help``)."""

    model: str = "default"
    data: Path | None = None
    render: RenderSpec | None = None
    split: str = "test"
    label_map: Path | None = None
    cache_dir: Path | None = DEFAULT_CACHE_DIR
    workers: int = 1
    confusion_png: Path | None = None
    report_json: Path | None = None


@dataclass
class EvalSummary:
    """Track-level report of one model on one labelled source."""

    report: EvalReport
    tracks: int
    failures: list[tuple[str, str]]
    model: str


def model_evaluate(opts: EvalOptions, *, progress: TextIO | None = sys.stderr) -> EvalSummary:
    """Evaluate a checkpoint on a labelled source (the rendered set's test split by default).

    ``split`` is ``train``, ``val``, ``test``, ``ood`` or ``all``; sources without splits get
    the same stable split :func:`model_train` uses, so ``test`` never overlaps training.

    Raises
    ------
    DatasetError, UnknownLabelError, ModelMismatchError
    """
    model = GenreModel.load(
        None if opts.model == "default" else opts.model, expected_features=current_feature_params()
    )
    labels = model.labels
    tax = taxonomy_labels()
    in_taxonomy = set(labels) <= set(tax.slugs)
    resolver = _resolver(known=labels, label_map=opts.label_map, tax=tax if in_taxonomy else None)
    dataset, source = _load_source(opts.data, opts.render, resolver)
    splits = split_tracks(dataset)
    tracks = [t for ts in splits.values() for t in ts] if opts.split == "all" else splits.get(opts.split, [])
    if not tracks:
        raise DatasetError(f"{source}: no tracks in split {opts.split!r}")
    built = build_window_set(
        tracks,
        labels=labels,
        extract=_extractor(
            opts.cache_dir,
            with_embedding=model.checkpoint.config.embedding_dim > 0,
            render=opts.render,
        ),
        name=opts.split,
        progress=progress,
        workers=opts.workers,
    )
    w = built.windows
    probs = model.predict_windows(w.logmel, w.summary, w.embedding)
    report = _track_report(
        built,
        probs,
        labels=labels,
        family_of=tax.family_of if in_taxonomy else None,
        thresholds=model.thresholds,
    )
    if opts.confusion_png is not None:
        plot_confusion(report, opts.confusion_png, title=f"{Path(source).name}: {opts.split} tracks")
    if opts.report_json is not None:
        opts.report_json.parent.mkdir(parents=True, exist_ok=True)
        opts.report_json.write_text(json.dumps(report.to_dict(), indent=1), encoding="utf-8")
    return EvalSummary(
        report=report,
        tracks=len(built.tracks),
        failures=[(str(p), m) for p, m in built.failures],
        model=str(opts.model),
    )
