"""Render held-out test-seed clips in the real-music layout, so ``evaluate --real`` reads them.

Run: ``PYTHONPATH=. python bench/render_heldout.py OUT [--per-genre 2] [--seconds 10]``, then
``genrelens evaluate --real OUT``. The clips use the first test seeds of the renderer's split
(``split_of``), the seeds the shipped model was measured on and never trained on, and land in
``OUT/rendered/<family>/<genre>-<seed>.flac`` with a ``manifest.csv`` whose group is the seed.
Candidate models are then compared on rendered and real clips through the same pipeline.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import soundfile as sf

from genrelens.synth.dataset import seeds_for_split
from genrelens.synth.render import render_clip
from genrelens.taxonomy.schema import MODELLED_GENRES

__all__: list[str] = []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--per-genre", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--split", choices=("train", "val", "test"), default="test",
                        help="seeds of this split (train: to fit a head on, never to report)")
    args = parser.parse_args()
    rows = ["file,label,family,source_set,group"]
    for seed in seeds_for_split(args.split, args.per_genre):
        for genre, family in MODELLED_GENRES.items():
            rel = Path("rendered") / family / f"{genre}-{seed}.flac"
            target = args.out / rel
            if not target.is_file():
                clip = render_clip(genre, seed=seed, seconds=args.seconds)
                target.parent.mkdir(parents=True, exist_ok=True)
                sf.write(str(target), clip.audio, clip.sr, format="FLAC", subtype="PCM_16")
            rows.append(f"{rel},{genre},{family},render-{args.split},seed-{seed}")
            print(rel, flush=True)
    (args.out / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
