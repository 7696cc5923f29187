from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from signals import SR, click_track, noise, write

from genrelens.predict.pipeline import analyze_path, timeline_bounds


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("a") / "demo.mp3", click_track(126.0, 40), format="MP3")


@pytest.fixture(scope="module")
def result_dict(demo: Path) -> dict[str, object]:
    stages: list[str] = []
    result = analyze_path(demo, model=None, progress=lambda stage, fraction: stages.append(stage))
    assert stages[0] == "decoding" and stages[-1] == "done" and "features" in stages
    return result.to_dict()


def test_the_shipped_model_gives_a_breakdown_with_reasons(demo: Path) -> None:
    result = analyze_path(demo)
    assert result.model is not None
    assert sum(g.probability for g in result.genres) == pytest.approx(1.0, abs=1e-3)
    assert sum(f.probability for f in result.families) == pytest.approx(1.0, abs=1e-3)
    by_family: dict[str, float] = {}
    for genre in result.genres:
        assert genre.family is not None
        by_family[genre.family] = by_family.get(genre.family, 0.0) + genre.probability
    for family in result.families:
        assert family.probability == pytest.approx(by_family[family.slug], abs=1e-3)
    top = result.top[0]
    assert top.slug == result.genres[0].slug and top.description and top.image.endswith(".png")
    assert any(item.trait == "tempo_bpm" for item in top.why)
    assert result.timeline and result.timeline[0].top is not None
    assert result.confidence.top_probability == pytest.approx(result.genres[0].probability, abs=1e-3)


def test_result_follows_the_documented_schema(result_dict: dict[str, object]) -> None:
    assert set(result_dict) == {
        "schema_version",
        "source",
        "tempo",
        "key",
        "loudness",
        "rhythm",
        "grid",
        "energy",
        "sections",
        "first_drop_s",
        "features",
        "genres",
        "families",
        "top",
        "timeline",
        "confidence",
        "model",
        "low_signal",
        "timings",
        "sound",
    }
    json.dumps(result_dict)  # JSON-ready
    sound = result_dict["sound"]
    assert isinstance(sound, dict) and sound["models"] == ["msd", "mtt"]
    assert len(sound["embedding"]) == 400


def test_result_measures_the_track(result_dict: dict[str, object]) -> None:
    tempo = result_dict["tempo"]
    assert isinstance(tempo, dict) and tempo["bpm"] == pytest.approx(126.0, abs=0.1)
    key = result_dict["key"]
    assert isinstance(key, dict) and key["camelot"] == "8A"
    source = result_dict["source"]
    assert isinstance(source, dict) and source["duration_analyzed_s"] == pytest.approx(40, abs=0.1)
    assert result_dict["rhythm"]["pattern"] == "four_on_the_floor"  # type: ignore[index]
    assert result_dict["timeline"][0]["bpm"] == pytest.approx(126.0, abs=0.5)  # type: ignore[index]
    grid = result_dict["grid"]
    assert isinstance(grid, dict) and grid["beats_per_bar"] == 4 and 1 <= grid["bar_phase"] <= 4
    bars = np.diff(grid["downbeats_s"])
    assert np.allclose(bars, 4 * 60 / 126.0, atol=0.03)  # one bar of 4 beats at 126 BPM
    sections = result_dict["sections"]
    assert isinstance(sections, list) and sections[0]["start_s"] == 0.0
    assert sections[-1]["end_s"] == pytest.approx(40, abs=0.1)
    assert 1 <= result_dict["energy"]["level"] <= 10  # type: ignore[index]


def test_without_a_model_the_result_says_it_is_unsure(result_dict: dict[str, object]) -> None:
    assert result_dict["genres"] == [] and result_dict["model"] is None
    confidence = result_dict["confidence"]
    assert isinstance(confidence, dict)
    assert confidence["unsure"] is True and confidence["reasons"][0] == "no_model"
    assert 0.0 <= confidence["electronic_probability"] <= 1.0


def test_silence_is_flagged_and_finite(tmp_path: Path) -> None:
    path = write(tmp_path / "silence.flac", np.zeros(SR * 10, dtype=np.float32), format="FLAC")
    result = analyze_path(path, model=None)
    assert result.low_signal
    assert result.confidence.reasons[:2] == ["no_model", "low_signal"]
    assert result.confidence.electronic_probability is None
    assert result.tempo.bpm is None and result.key is None
    assert all(math.isfinite(v) for v in result.features.values())


def test_timeline_covers_the_track() -> None:
    edges = timeline_bounds(95.0)
    assert edges[0] == 0.0 and edges[-1] == 95.0 and len(edges) == 5
    assert len(timeline_bounds(7200.0)) == 61


@pytest.mark.parametrize("kind", ["silence", "noise"])
def test_the_model_says_unsure_on_audio_that_is_not_music(tmp_path: Path, kind: str) -> None:
    y = np.zeros(SR * 12, dtype=np.float32) if kind == "silence" else noise(12, gain=0.3)
    result = analyze_path(write(tmp_path / f"{kind}.wav", y))
    assert result.model is not None
    assert result.confidence.unsure
    assert result.confidence.reasons


def test_a_model_with_the_musicnn_branch_gets_embeddings_of_every_window(demo: Path) -> None:
    """A model trained with ``genrelens train --embedding`` can analyse files too."""
    import torch

    from genrelens.model.checkpoint import Checkpoint
    from genrelens.model.config import ModelConfig, current_feature_params
    from genrelens.model.network import EagerRunner, GenreNet
    from genrelens.predict.infer import GenreModel

    config = ModelConfig(
        labels=("deep-house", "techno", "ambient"),
        features=current_feature_params(),
        embedding_dim=200,
        conv_channels=(4, 8),
    )
    torch.manual_seed(0)
    net = GenreNet(config).eval()
    model = GenreModel(Checkpoint(config=config, net=net).artifact, EagerRunner(net))
    result = analyze_path(demo, model=model)
    assert [g.slug for g in result.genres] and sum(g.probability for g in result.genres) == pytest.approx(
        1.0, abs=1e-3
    )
    assert result.timeline[0].top is not None
