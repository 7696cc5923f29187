"""The personal layer on real music: a user labels a few tracks per crate, the layer ranks the rest.

Run: ``PYTHONPATH=. python bench/bench_teach.py [--realdev ../shared/realdev] [--jobs 2]``

Each real labelled clip (``../shared/realdev``; the benchmark says so and stops when it is
absent) is analysed once with the shipped model, and its genre profile (the result's genre
probabilities) kept in ``~/.cache/genrelens/bench_teach``. Then, per folder, a simulated user
labels ``k`` tracks of each label (1, 3, 5, 10) and ``genrelens.library.teach`` ranks every
other track by those labels: what the web page's "Your labels say" does. Labelled and ranked
tracks never share a ``group`` (source track or artist), so a clip is never ranked by a label on
another excerpt of the same record. 20 random draws per ``k``; the report gives the mean
accuracy and its spread beside the best constant answer on the ranked clips and, where the labels
are GenreLens families, the shipped model's top family. Labels are the manifest's labels, and its
families where they differ (hard techno: techno against hardcore). Nothing here trains network
weights on realdev: the layer is the user's own labels, which is exactly what this measures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from genrelens.backbone.gate import ElectronicGate
from genrelens.errors import GenreLensError
from genrelens.library.teach import fit, rank
from genrelens.library.vectors import hellinger, library_vectors
from genrelens.realmusic.clips import RealClip, read_clips

__all__: list[str] = []

CACHE = Path.home() / ".cache" / "genrelens" / "bench_teach"
LABELS_PER_CRATE = (1, 3, 5, 10)
DRAWS = 20


def _profile(path: str) -> dict[str, object] | None:
    """One file's shipped genre and family probabilities and the electronic gate's musicnn
    summaries (tag probabilities and penultimate embeddings of both models), cached by content."""
    from genrelens.predict.pipeline import analyze_path

    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    cached = CACHE / f"{digest}.json"
    if cached.is_file():
        loaded: dict[str, object] = json.loads(cached.read_text())
        return loaded
    gates: list[ElectronicGate] = []
    try:
        result = analyze_path(path, on_gate=gates.append).to_dict()
    except GenreLensError as exc:
        print(f"skipped {path}: {exc.message}")
        return None
    summaries = gates[0].summaries if gates else {}
    answer = {"genres": {g["slug"]: g["probability"] for g in result["genres"]},
              "family": result["families"][0]["slug"] if result["families"] else None,
              "tags": [float(x) for m in sorted(summaries) for x in summaries[m].probabilities],
              "embedding": [float(x) for m in sorted(summaries) for x in summaries[m].penultimate]}
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps(answer))
    return answer


def _draw(clips: list[RealClip], labels: list[str], k: int,
          rng: np.random.Generator) -> tuple[list[int], list[int]]:
    """Indices of ``k`` labelled clips per label and of the clips to rank, groups disjoint."""
    groups = sorted({c.group for c in clips})
    rng.shuffle(groups)
    labelled: list[int] = []
    used: set[str] = set()
    for label in sorted(set(labels)):
        taken = 0
        for group in groups:
            if taken >= k:
                break
            members = [i for i, c in enumerate(clips) if c.group == group and labels[i] == label]
            if not members or group in used:
                continue
            pick = members[: k - taken]
            labelled.extend(pick)
            taken += len(pick)
            used.add(group)
    ranked = [i for i, c in enumerate(clips) if c.group not in used]
    return labelled, ranked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--realdev", type=Path, default=Path("../shared/realdev"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--every", type=int, default=1, help="every n-th clip (quick runs)")
    args = parser.parse_args()
    if not args.realdev.is_dir():
        print(f"realdev is absent ({args.realdev}): nothing to measure")
        return
    clips = [c for c in read_clips(args.realdev, every=args.every) if c.folder != "emotify"]
    with ProcessPoolExecutor(args.jobs) as pool:
        answers = list(pool.map(_profile, [str(c.path) for c in clips], chunksize=4))
    kept = [(c, a) for c, a in zip(clips, answers, strict=True) if a is not None]
    slugs = sorted({s for _, a in kept for s in a["genres"]})  # type: ignore[union-attr]
    rng = np.random.default_rng(args.seed)
    print(f"{len(kept)} real clips analysed; genre profiles of {len(slugs)} genres\n")
    print("| folder | labels | vectors | k per label | personal layer | its mean top probability "
          "| best constant answer | shipped top family |")
    print("|---|---|---|---|---|---|---|---|")
    for folder in sorted({c.folder for c, _ in kept}):
        rows = [(c, a) for c, a in kept if c.folder == folder and a.get("embedding")]
        folder_clips = [c for c, _ in rows]
        for name, vectors in _representations(rows, slugs).items():
            _folder_table(folder, folder_clips, rows, name, vectors, rng)


def _representations(rows: list[tuple[RealClip, dict[str, object]]],
                     slugs: list[str]) -> dict[str, np.ndarray]:
    """The per-track vectors a personal layer could stand on; the last is what the web library
    uses (``library_vectors``, centred on the folder: what a user's library offers unlabelled)."""
    profiles = np.array([[a["genres"].get(s, 0.0) for s in slugs]  # type: ignore[union-attr]
                         for _, a in rows])
    embeddings = [np.array(a["embedding"], dtype=np.float64) for _, a in rows]
    sound_only = library_vectors(embeddings, np.zeros_like(profiles))
    return {"genre profile": hellinger(profiles),
            "musicnn tags": hellinger(np.array([a["tags"] for _, a in rows], dtype=np.float64)),
            "musicnn embedding": sound_only,
            "library_vectors (embedding + genre profile)": library_vectors(embeddings, profiles)}


def _folder_table(folder: str, folder_clips: list[RealClip],
                  rows: list[tuple[RealClip, dict[str, object]]], name: str, vectors: np.ndarray,
                  rng: np.random.Generator) -> None:
    """The rows of one folder and one representation, for each labelling and each ``k``."""
    views = {tuple(c.label for c in folder_clips), tuple(c.family for c in folder_clips)}
    for view in sorted(views, key=lambda v: len(set(v))):
        labels = list(view)
        if len(set(labels)) < 2:
            continue
        by_family = all(c.has_family and label == c.family
                        for c, label in zip(folder_clips, labels, strict=True))
        for k in LABELS_PER_CRATE:
            _report(folder, name, folder_clips, rows, vectors, labels, k, by_family, rng)


def _report(folder: str, name: str, clips: list[RealClip],
            rows: list[tuple[RealClip, dict[str, object]]], vectors: np.ndarray,
            labels: list[str], k: int, by_family: bool, rng: np.random.Generator) -> None:
    """One table row: the layer's mean accuracy over the draws, beside the baselines."""
    names = sorted(set(labels))
    scores, confidence, majority, shipped = [], [], [], []
    for _ in range(DRAWS):
        labelled, ranked = _draw(clips, labels, k, rng)
        if len({labels[i] for i in labelled}) < len(names) or not ranked:
            continue
        layer = fit(vectors[labelled], [labels[i] for i in labelled])
        tops = [rank(layer, vectors[i])[0] for i in ranked]
        scores.append(np.mean([top[0] == labels[i] for top, i in zip(tops, ranked, strict=True)]))
        confidence.append(np.mean([top[1] for top in tops]))
        # The best constant answer on the ranked clips (an oracle's majority).
        majority.append(max(Counter(labels[i] for i in ranked).values()) / len(ranked))
        if by_family:
            shipped.append(np.mean([rows[i][1]["family"] == labels[i] for i in ranked]))
    if not scores:
        print(f"| {folder} | {', '.join(names)} | {name} | {k} | (too few groups) | | | |")
        return
    ship = f"{np.mean(shipped):.3f}" if shipped else "n/a"
    print(f"| {folder} | {', '.join(names)} | {name} | {k} | {np.mean(scores):.3f} ± {np.std(scores):.3f}"
          f" ({len(scores)} draws) | {np.mean(confidence):.3f} | {np.mean(majority):.3f} | {ship} |")


if __name__ == "__main__":
    main()
