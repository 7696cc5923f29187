"""Two genre models and their blend (mean of calibrated probabilities) on the same rendered clips.

Run: ``PYTHONPATH=. python bench/bench_blend.py --models A.pt B.pt --render 96 --render-ood 16``
with the render options (and feature cache) of training, so features and musicnn embeddings
come from the cache. Prints track-level figures per split for each model and for the blend;
this is how the model card compares the network with the head on musicnn embeddings.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from genrelens.datasets.sources import LabeledDataset
from genrelens.predict.infer import GenreModel
from genrelens.train.build import build_window_set
from genrelens.train.evaluate import evaluate_probs, track_level
from genrelens.train.rendered import RenderExtractor, RenderSpec, rendered_tracks
from genrelens.train.workflow import DEFAULT_CACHE_DIR, split_tracks, taxonomy_labels

__all__: list[str] = []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", nargs=2, required=True, metavar="CHECKPOINT")
    parser.add_argument("--render", type=int, required=True)
    parser.add_argument("--render-ood", type=int, default=0)
    parser.add_argument("--render-seconds", type=float, default=10.0)
    parser.add_argument("--splits", nargs="+", default=["test", "ood"])
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR)
    args = parser.parse_args()
    models = [GenreModel.load(p) for p in args.models]
    if models[0].labels != models[1].labels:
        parser.error("the two models have different labels")
    labels = models[0].labels
    family_of = taxonomy_labels().family_of
    spec = RenderSpec(args.render, args.render_ood, args.render_seconds)
    splits = split_tracks(LabeledDataset(tracks=rendered_tracks(spec), kind="rendered"))
    extract = RenderExtractor(spec.seconds, args.cache_dir, with_embedding=True)
    names = [Path(p).stem for p in args.models] + ["blend"]
    columns = ("tracks", "acc", "top-3", "F1", "ECE", "family")
    print(f"{'split':<6} {'model':<10} " + " ".join(f"{c:>6}" for c in columns))
    for split in args.splits:
        built = build_window_set(splits[split], labels=labels, extract=extract, name=split, progress=None)
        w = built.windows
        probs = [
            m.predict_windows(w.logmel, w.summary, w.embedding if m.checkpoint.config.embedding_dim else None)
            for m in models
        ]
        probs.append(np.mean(probs, axis=0))
        for name, p in zip(names, probs, strict=True):
            tp, tl, _ = track_level(p, w.labels, w.track_ids)
            r = evaluate_probs(tp, tl, labels=labels, family_of=family_of)
            print(
                f"{split:<6} {name:<10} {r.n:>6} {r.accuracy:>6.3f} {r.top3:>6.3f} {r.macro_f1:>6.3f} "
                f"{r.ece:>6.3f} {r.family_accuracy or 0.0:>7.3f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
