"""Sanity check on real, unlabelled music: what the genre model says and how often it is unsure.

Run: ``PYTHONPATH=. python bench/bench_real_music.py [--model PATH] [--seconds 180] DIR...``
(e.g. the game soundtracks Debian ships in nexuiz-music, hyperrogue-music, singularity-music,
unpacked with ``apt-get download`` + ``dpkg -x``). There are no labels: this is not an accuracy.
Writes one line per file and a summary; ``--json`` also writes everything as JSON.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

import numpy as np

from genrelens.audio.decode import load_audio
from genrelens.backbone.gate import electronic_gate
from genrelens.datasets.sources import AUDIO_EXTENSIONS
from genrelens.errors import GenreLensError
from genrelens.features.extract import extract_signal
from genrelens.predict.embeddings import signal_embeddings
from genrelens.predict.infer import GenreModel
from genrelens.train.workflow import taxonomy_labels

__all__: list[str] = []

SR = 22050
#: Length of the excerpt (from the middle) the electronic gate listens to [seconds].
GATE_SECONDS = 30.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dirs", nargs="+", type=Path)
    parser.add_argument("--model", help="checkpoint (default: the shipped one)")
    parser.add_argument("--seconds", type=float, default=180.0, help="read at most this much")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    model = GenreModel.load(args.model)
    tax = taxonomy_labels()
    files = sorted(p for d in args.dirs for p in d.rglob("*") if p.suffix.lower() in AUDIO_EXTENSIONS)
    rows = []
    t0 = time.perf_counter()
    for path in files:
        try:
            y = load_audio(path, sr=SR, max_seconds=args.seconds)
        except GenreLensError as exc:
            print(f"{path.name}: skipped ({exc.code})")
            continue
        _, batch = extract_signal(y, sr=SR)
        embedding = (
            signal_embeddings(y, sr=SR, starts_s=batch.start_s)["embedding"]
            if model.checkpoint.config.embedding_dim > 0
            else None
        )
        mid = max(0, len(y) // 2 - int(GATE_SECONDS * SR) // 2)
        gate = electronic_gate(y[mid : mid + int(GATE_SECONDS * SR)], sr=SR)
        pred = model.predict_track(
            batch.log_mel,
            batch.vectors,
            batch.start_s,
            family_of=tax.family_of,
            embedding=embedding,
            electronic_probability=gate.probability,
        )
        top, p = pred.breakdown.genres[0]
        fam, fp = pred.breakdown.families[0] if pred.breakdown.families else ("-", 0.0)
        row = {
            "file": f"{path.parent.name}/{path.name}",
            "top": top,
            "p": round(p, 3),
            "family": fam,
            "family_p": round(fp, 3),
            "unsure": pred.decision.unsure,
            "reasons": list(pred.decision.reasons),
            "electronic": round(gate.probability, 3),
            "ood_fraction": pred.decision.ood_fraction,
        }
        rows.append(row)
        flag = f"UNSURE ({', '.join(row['reasons'])})" if row["unsure"] else ""
        print(
            f"{row['file']:<48} {top:<22} {p:.2f}  {fam:<20} {fp:.2f}  "
            f"electronic {gate.probability:.2f}  {flag}",
            flush=True,
        )
    if not rows:
        print("no audio files found")
        return
    unsure = np.mean([r["unsure"] for r in rows])
    reasons = Counter(x for r in rows for x in r["reasons"])
    families = Counter(r["family"] for r in rows)
    print(f"\n{len(rows)} files in {time.perf_counter() - t0:.0f} s; unsure {unsure:.0%}")
    print("reasons: " + ", ".join(f"{k} {v}" for k, v in reasons.most_common()))
    print("top families: " + ", ".join(f"{k} {v}" for k, v in families.most_common()))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
