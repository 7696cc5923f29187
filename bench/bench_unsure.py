"""How often the genre model flags rendered held-out clips unsure, and why (per split).

Run: ``PYTHONPATH=. python bench/bench_unsure.py --model PATH --render 40 --render-ood 8``
with the same render options (and cache) as training, so features come from the cache.
A well-behaved model is rarely unsure on test clips of the training variant and more often on
the held-out-sound (OOD) variant.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from genrelens.predict.infer import GenreModel
from genrelens.train.rendered import RenderExtractor, RenderSpec, rendered_tracks
from genrelens.train.workflow import DEFAULT_CACHE_DIR, taxonomy_labels

__all__: list[str] = []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True)
    parser.add_argument("--render", type=int, required=True)
    parser.add_argument("--render-ood", type=int, default=0)
    parser.add_argument("--render-seconds", type=float, default=10.0)
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR)
    args = parser.parse_args()
    model = GenreModel.load(args.model)
    family_of = taxonomy_labels().family_of
    spec = RenderSpec(args.render, args.render_ood, args.render_seconds)
    extract = RenderExtractor(spec.seconds, args.cache_dir, model.checkpoint.config.embedding_dim > 0)
    stats: dict[str, Counter[str]] = {}
    for track in rendered_tracks(spec):
        split = "ood" if track.variant == "ood" else track.split or "?"
        if split == "train":
            continue
        w = extract(track)
        pred = model.predict_track(
            w["logmel"], w["summary"], w["starts_s"], family_of=family_of, embedding=w.get("embedding")
        )
        c = stats.setdefault(split, Counter())
        c["tracks"] += 1
        c["unsure"] += pred.decision.unsure
        c["unsure_and_right"] += pred.decision.unsure and pred.breakdown.genres[0][0] == track.label
        c["sure_and_wrong"] += (not pred.decision.unsure) and pred.breakdown.genres[0][0] != track.label
        c.update(f"reason:{r}" for r in pred.decision.reasons)
    for split, c in stats.items():
        n = c["tracks"]
        reasons = ", ".join(f"{k[7:]} {v}" for k, v in c.most_common() if k.startswith("reason:"))
        print(
            f"{split:<5} tracks {n:>4}  unsure {c['unsure'] / n:.1%}  "
            f"(of which top genre right {c['unsure_and_right']})  "
            f"sure but wrong {c['sure_and_wrong'] / n:.1%}  reasons: {reasons}"
        )


if __name__ == "__main__":
    main()
