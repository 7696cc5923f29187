"""Draw the renderer spectrograms of docs/renderer.md (docs/img/renderer-<slug>.png).

Run: ``PYTHONPATH=. python bench/render_spectrograms.py`` (10 s clips, seed 11, except hardstyle:
seed 20, an excerpt that is a drop with the reverse bass).
"""

from __future__ import annotations

from pathlib import Path

import librosa
import librosa.display
import matplotlib
import numpy as np

from genrelens.synth import render_clip

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

GENRES = ("dub-techno", "psytrance", "neurofunk", "amapiano", "trip-hop", "hardstyle")
SEED = 11
SEEDS = {"hardstyle": 20}
OUT = Path("docs/img")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for genre in GENRES:
        seed = SEEDS.get(genre, SEED)
        clip = render_clip(genre, seed=seed, seconds=10.0)
        mel = librosa.feature.melspectrogram(y=clip.audio, sr=clip.sr, n_mels=80)
        fig, ax = plt.subplots(figsize=(6.4, 2.4), dpi=80)
        librosa.display.specshow(librosa.power_to_db(mel, ref=np.max), sr=clip.sr,
                                 x_axis="time", y_axis="mel", ax=ax, cmap="magma")
        m = clip.meta
        ax.set_title(f"{genre}, seed {seed}: {clip.tempo_bpm:g} BPM, {clip.key}, bass "
                     f"{m['bass']}, chords {m['chords']}, {'/'.join(m['sections'])}",
                     fontsize=8)
        ax.tick_params(labelsize=7)
        ax.set_xlabel("time [s]", fontsize=7)
        ax.set_ylabel("Hz (mel)", fontsize=7)
        fig.tight_layout()
        fig.savefig(OUT / f"renderer-{genre}.png")
        plt.close(fig)
        print(genre, clip.tempo_bpm, clip.key, m)


if __name__ == "__main__":
    main()
