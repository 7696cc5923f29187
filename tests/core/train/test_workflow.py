"""End to end on rendered clips: train learns, cache, evaluate CLI, fine-tune, unsure audio."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

render = pytest.importorskip("genrelens.synth.render")
pytest.importorskip("genrelens.features.extract")
pytest.importorskip("genrelens.taxonomy")

from genrelens.cli.main import main  # noqa: E402
from genrelens.datasets.cache import FeatureCache  # noqa: E402
from genrelens.model.config import TrainConfig  # noqa: E402
from genrelens.predict.infer import GenreModel  # noqa: E402
from genrelens.train.rendered import RenderSpec  # noqa: E402
from genrelens.train.windows import file_windows, signal_windows  # noqa: E402
from genrelens.train.workflow import TrainOptions, TrainSummary, model_train  # noqa: E402

pytestmark = pytest.mark.slow

GENRES = ("deep-house", "dubstep", "ambient")
SECONDS = 7.0
SR = 22050
FAST = TrainConfig(epochs=15, batch_size=16, lr=3e-3, patience=6, seed=0, threads=2)
#: Training clips per genre, rendered in memory and split 80/10/10 by seed.
PER_GENRE = 14
#: Extra held-out clips per genre written as files (test-split seeds beyond the plan's).
FILE_SEEDS = 4


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A manifest of held-out rendered clips written as WAV files (test-split seeds)."""
    from genrelens.synth.dataset import seeds_for_split

    root = tmp_path_factory.mktemp("rendered")
    rows = ["path,genre,seed,split,tempo_bpm,key,variant"]
    for genre in GENRES:
        for seed in seeds_for_split("test", FILE_SEEDS, start=10_000):
            clip = render.render_clip(genre, seed=seed, seconds=SECONDS)
            rel = f"audio/{genre}/{seed}.wav"
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            sf.write(root / rel, clip.audio, clip.sr, subtype="PCM_16")
            rows.append(f"{rel},{genre},{seed},test,{clip.tempo_bpm},,train")
    (root / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> TrainSummary:
    out = tmp_path_factory.mktemp("model")
    return model_train(
        TrainOptions(
            out=out / "model.pt",
            render=RenderSpec(per_genre=PER_GENRE, seconds=SECONDS, genres=GENRES),
            work_dir=out / "work",
            cache_dir=out / "cache",
            train_config=FAST,
            report_json=out / "report.json",
        ),
        progress=None,
    )


def test_tiny_training_reports_splits(trained: TrainSummary) -> None:
    assert trained.labels == GENRES
    assert set(trained.reports) >= {"val", "test", "test_baseline"}
    assert trained.tracks["train"] + trained.tracks["val"] + trained.tracks["test"] == 3 * PER_GENRE
    assert trained.checkpoint_path.is_file()
    assert trained.checkpoint_path.stat().st_size < 20 * 2**20


def test_second_extraction_reads_the_cache(rendered: Path, tmp_path: Path) -> None:
    cache = FeatureCache(tmp_path / "cache")
    first = next((rendered / "audio" / "dubstep").glob("*.wav"))
    arrays = file_windows(first, cache=cache)
    again = file_windows(first, cache=cache)
    assert (cache.hits, cache.misses) == (1, 1)
    np.testing.assert_array_equal(arrays["summary"], again["summary"])
    assert arrays["logmel"].shape[1:] == (96, 256)


def test_learns_above_chance_on_held_out_seeds_via_evaluate_cli(
    rendered: Path, trained: TrainSummary, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    png = tmp_path / "cm.png"
    report = tmp_path / "report.json"
    code = main(
        [
            "evaluate",
            "--model",
            str(trained.checkpoint_path),
            "--data",
            str(rendered / "manifest.csv"),
            "--cache-dir",
            str(tmp_path / "cache"),
            "--confusion",
            str(png),
            "--json",
            str(report),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    accuracy = json.loads(report.read_text())["accuracy"]
    assert accuracy > 0.6, f"held-out accuracy {accuracy:.2f}, chance 0.33"
    for word in ("accuracy", "top-3", "macro-F1", "ECE", "precision", "recall", "dubstep"):
        assert word in out
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_train_cli_rejects_unknown_labels(tmp_path: Path, rendered: Path) -> None:
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"path,genre\n{rendered / 'audio/dubstep/0.wav'},Polka\n", encoding="utf-8")
    assert main(["train", "--data", str(manifest), "--out", str(tmp_path / "x.pt")]) == 2


def test_fine_tune_on_own_crates(
    rendered: Path, trained: TrainSummary, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    crates = tmp_path / "crates"
    for name, genre in (("Sunday Morning", "ambient"), ("Warehouse", "dubstep")):
        (crates / name).mkdir(parents=True)
        for src in (rendered / "audio" / genre).glob("*.wav"):
            (crates / name / src.name).write_bytes(src.read_bytes())
    code = main(
        [
            "train",
            "--data",
            str(crates),
            "--own-labels",
            "--base",
            str(trained.checkpoint_path),
            "--out",
            str(tmp_path / "mine.pt"),
            "--work-dir",
            str(tmp_path / "work"),
            "--cache-dir",
            str(tmp_path / "cache"),
            "--epochs",
            "3",
        ]
    )
    assert code == 0, capsys.readouterr().err
    mine = GenreModel.load(tmp_path / "mine.pt")
    assert mine.labels == ("Sunday Morning", "Warehouse")


def _sine_piano(rng: np.random.Generator) -> np.ndarray:
    """Decaying harmonic tones at random pitches and times: a crude solo piano."""
    y = np.zeros(int(SECONDS * SR), dtype=np.float64)
    t = np.arange(int(1.5 * SR)) / SR
    for start in np.sort(rng.uniform(0, SECONDS - 1.5, 14)):
        f0 = 220.0 * 2 ** (rng.integers(0, 24) / 12)
        tone = sum(np.sin(2 * np.pi * f0 * k * t) / k**1.5 for k in range(1, 6))
        i = int(start * SR)
        y[i : i + t.size] += 0.2 * tone * np.exp(-t / 0.5)
    return y.astype(np.float32)


@pytest.mark.parametrize("kind", ["silence", "white_noise", "sine_piano"])
def test_unsure_on_audio_it_cannot_place(trained: TrainSummary, kind: str) -> None:
    rng = np.random.default_rng(440)
    n = int(SECONDS * SR)
    y = {
        "silence": np.zeros(n, dtype=np.float32),
        "white_noise": (0.3 * rng.standard_normal(n)).astype(np.float32),
        "sine_piano": _sine_piano(rng),
    }[kind]
    model = GenreModel.load(trained.checkpoint_path)
    w = signal_windows(y, sr=SR)
    pred = model.predict_track(w["logmel"], w["summary"], w["starts_s"], family_of={g: g for g in GENRES})
    assert pred.decision.unsure, f"{kind}: {dataclasses.asdict(pred.decision)}"
    assert pred.decision.reasons
    np.testing.assert_allclose(pred.breakdown.probs.sum(), 1.0, atol=1e-6)


def test_rendered_clip_of_a_trained_genre_is_not_out_of_distribution(
    trained: TrainSummary,
) -> None:
    model = GenreModel.load(trained.checkpoint_path)
    clip = render.render_clip("dubstep", seed=20, seconds=SECONDS)
    w = signal_windows(clip.audio, sr=clip.sr)
    pred = model.predict_track(w["logmel"], w["summary"], w["starts_s"], family_of={g: g for g in GENRES})
    assert "out_of_distribution" not in pred.decision.reasons
    assert "low_signal" not in pred.decision.reasons
