"""Sanity check of the renderer: can a simple classifier tell rendered genres apart?

Renders clips per genre (seeds by ``split_of``: training seeds to fit, test seeds to score,
plus held-out-sound "ood" clips), summarises each with MFCC and spectral-contrast means and
standard deviations, an onset-based tempo and the mean tempogram (onset autocorrelation,
pooled into 48 lag bins: the rhythm), fits a logistic regression and prints genre and family
accuracy on the held-out seeds. ``--features genrelens`` uses the project's own window
features instead (``genrelens.features.extract.extract_signal``: mean and standard deviation
of the window vectors). This measures rendered audio only: it says nothing about accuracy on
real music.

Run: ``PYTHONPATH=. nice -n 10 python bench/synth_sanity_classifier.py --train 20 --test 6``
"""

from __future__ import annotations

import argparse
import multiprocessing
import time

import librosa
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from genrelens.features.extract import extract_signal
from genrelens.synth import GENRES, GRAMMARS, render_clip
from genrelens.synth.dataset import OOD_SEED_BASE, seeds_for_split

SR = 22050


def features(job: tuple[str, int, str, float, str]) -> np.ndarray:
    genre, seed, variant, seconds, kind = job
    y = render_clip(genre, seed=seed, seconds=seconds, variant=variant).audio.astype(np.float32)
    if kind == "genrelens":
        track, _ = extract_signal(y, sr=SR)
        return np.concatenate([track.vectors.mean(axis=0), track.vectors.std(axis=0)])
    mfcc = librosa.feature.mfcc(y=y, sr=SR, n_mfcc=20)
    contrast = librosa.feature.spectral_contrast(y=y, sr=SR)
    onset = librosa.onset.onset_strength(y=y, sr=SR)
    tempo = librosa.feature.tempo(onset_envelope=onset, sr=SR)[0]
    tempogram = librosa.feature.tempogram(onset_envelope=onset, sr=SR, win_length=192)
    rhythm = tempogram.mean(axis=1)[:192].reshape(48, 4).mean(axis=1)
    return np.concatenate([mfcc.mean(1), mfcc.std(1), contrast.mean(1), contrast.std(1),
                           [tempo / 200.0, onset.mean(), onset.std()], rhythm])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", type=int, default=20, help="training clips per genre")
    ap.add_argument("--test", type=int, default=6, help="test clips per genre (and ood)")
    ap.add_argument("--seconds", type=float, default=6.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--features", choices=("librosa", "genrelens"), default="librosa")
    args = ap.parse_args()
    sets = {
        "train": [(g, s, "train", args.seconds, args.features) for g in GENRES
                  for s in seeds_for_split("train", args.train)],
        "test": [(g, s, "train", args.seconds, args.features) for g in GENRES
                 for s in seeds_for_split("test", args.test)],
        "ood": [(g, s, "ood", args.seconds, args.features) for g in GENRES
                for s in seeds_for_split("test", args.test, start=OOD_SEED_BASE)],
    }
    t0 = time.time()
    with multiprocessing.Pool(args.workers) as pool:
        feats = {k: np.array(pool.map(features, v, chunksize=8)) for k, v in sets.items()}
    labels = {k: np.array([j[0] for j in v]) for k, v in sets.items()}
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=3000, C=0.5))
    model.fit(feats["train"], labels["train"])
    fam = np.vectorize(lambda g: GRAMMARS[g].family)
    print(f"{len(GENRES)} genres, {args.train} train / {args.test} test clips per genre, "
          f"{args.seconds:g} s clips, {args.features} features, {time.time() - t0:.0f} s")
    for name in ("test", "ood"):
        pred = model.predict(feats[name])
        genre_acc = float(np.mean(pred == labels[name]))
        family_acc = float(np.mean(fam(pred) == fam(labels[name])))
        print(f"{name:5s} genre accuracy {genre_acc:.3f} (chance {1 / len(GENRES):.3f}), "
              f"family accuracy {family_acc:.3f} (chance {1 / 15:.3f})")
        truth = fam(labels[name])
        per_family = {f: float(np.mean(fam(pred)[truth == f] == f)) for f in sorted(set(truth))}
        print("      family recall: " + ", ".join(f"{f} {a:.2f}" for f, a in per_family.items()))


if __name__ == "__main__":
    main()
