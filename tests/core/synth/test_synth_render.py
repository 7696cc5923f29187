"""Tests of genrelens.synth.render: every genre renders, determinism, variants, bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from genrelens.errors import InvalidParameterError
from genrelens.synth import GENRES, GRAMMARS, render_clip, samples
from genrelens.synth.render import MAX_RENDER_SECONDS
from genrelens.synth.variation import EDGE_FRACTION, draw

#: The 52 modelled slugs of docs/architecture.md, in its order.
_SLUG_TEXT = """
deep-house tech-house progressive-house chicago-house acid-house lo-fi-house minimal-techno
detroit-techno peak-time-techno hard-techno dub-techno industrial-techno melodic-house-techno
uplifting-trance progressive-trance psytrance goa-trance liquid-dnb neurofunk jungle jump-up
dubstep brostep riddim phonk uk-garage bassline breakbeat big-beat electro ebm hardstyle gabber
happy-hardcore downtempo trip-hop lo-fi-hip-hop ambient idm synthwave synth-pop big-room-house
electro-house future-bass trap-edm moombahton nu-disco italo-disco hi-nrg afro-house amapiano
footwork
"""
ARCHITECTURE_SLUGS = _SLUG_TEXT.split()
SECONDS = 3.0
SR = 22050


def test_grammars_cover_exactly_the_modelled_slugs() -> None:
    assert list(GENRES) == ARCHITECTURE_SLUGS
    assert len(GENRES) == 52


@pytest.mark.parametrize("variant", ["train", "ood"])
@pytest.mark.parametrize("genre", GENRES)
def test_every_genre_renders_finite_audio_in_range(genre: str, variant: str) -> None:
    seconds = SECONDS if variant == "train" else 2.0
    clip = render_clip(genre, seed=7, seconds=seconds, variant=variant)
    assert clip.sr == SR
    assert clip.audio.dtype == np.float32
    assert clip.audio.shape == (int(seconds * SR),)
    assert np.all(np.isfinite(clip.audio))
    assert np.max(np.abs(clip.audio)) <= 1.0
    assert np.sqrt(np.mean(clip.audio.astype(np.float64) ** 2)) > 1e-3
    lo, hi = GRAMMARS[genre].tempo_bpm
    assert lo <= clip.tempo_bpm <= hi
    tonic, mode = clip.key.split(" ")
    assert mode in ("minor", "major") and tonic[0] in "ABCDEFG"
    assert clip.genre == genre and clip.seed == 7


@pytest.mark.parametrize("genre", ["dub-techno", "neurofunk", "amapiano", "lo-fi-hip-hop"])
def test_same_seed_renders_bitwise_equal(genre: str) -> None:
    a = render_clip(genre, seed=123, seconds=SECONDS)
    b = render_clip(genre, seed=123, seconds=SECONDS)
    assert a.audio.tobytes() == b.audio.tobytes()
    assert (a.tempo_bpm, a.key) == (b.tempo_bpm, b.key)


def test_different_seed_or_genre_or_variant_renders_different_audio() -> None:
    base = render_clip("psytrance", seed=1, seconds=SECONDS).audio
    assert not np.array_equal(base, render_clip("psytrance", seed=2, seconds=SECONDS).audio)
    assert not np.array_equal(base, render_clip("goa-trance", seed=1, seconds=SECONDS).audio)
    assert not np.array_equal(
        base, render_clip("psytrance", seed=1, seconds=SECONDS, variant="ood").audio)


def test_other_sample_rate_and_length() -> None:
    clip = render_clip("deep-house", seed=3, seconds=4.5, sr=16000)
    assert clip.audio.shape == (72000,) and clip.sr == 16000


def test_pure_synthesis_fallback_without_samples(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(samples.NO_SAMPLES_ENV, "1")
    samples.library.cache_clear()
    try:
        for genre in ("jungle", "trip-hop", "tech-house"):
            a = render_clip(genre, seed=5, seconds=SECONDS)
            b = render_clip(genre, seed=5, seconds=SECONDS)
            assert a.meta["kit"] == "synth"
            assert "break" not in a.meta["drum_sources"]
            assert np.all(np.isfinite(a.audio)) and a.audio.tobytes() == b.audio.tobytes()
    finally:
        monkeypatch.delenv(samples.NO_SAMPLES_ENV)
        samples.library.cache_clear()


def test_ood_variant_uses_only_held_out_kits_and_train_never_does() -> None:
    for seed in range(12):
        train = render_clip("chicago-house", seed=seed, seconds=SECONDS)
        ood = render_clip("chicago-house", seed=seed, seconds=SECONDS, variant="ood")
        assert train.meta["kit"] not in samples.OOD_KITS
        assert ood.meta["kit"] == "synth" or ood.meta["kit"] in samples.OOD_KITS
        train_sources = set(train.meta["drum_sources"].values())
        assert not train_sources & (samples.OOD_KITS | samples.OOD_LOOPS)


def test_draw_keeps_train_and_ood_ranges_apart() -> None:
    rng = np.random.default_rng(0)
    lo, hi = 100.0, 200.0
    edge = EDGE_FRACTION * (hi - lo)
    train = np.array([draw(rng, lo, hi) for _ in range(500)])
    ood = np.array([draw(rng, lo, hi, ood=True) for _ in range(500)])
    inside = np.array([draw(rng, lo, hi, ood=True, inside=True) for _ in range(500)])
    assert np.all((train >= lo + edge) & (train <= hi - edge))
    assert np.all((ood <= lo + edge) | (ood >= hi - edge))
    assert np.all((inside >= lo) & (inside <= hi))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"genre": "techno"},
        {"genre": "not-a-genre"},
        {"seed": -1},
        {"seed": 1.5},
        {"seconds": 0.0},
        {"seconds": float("nan")},
        {"seconds": MAX_RENDER_SECONDS + 1},
        {"sr": 100},
        {"variant": "test"},
    ],
)
def test_bad_parameters_raise_invalid_parameter(kwargs: dict[str, object]) -> None:
    args: dict[str, object] = {"genre": "dub-techno", "seed": 1, "seconds": 1.0, **kwargs}
    genre = args.pop("genre")
    with pytest.raises(InvalidParameterError):
        render_clip(genre, **args)  # type: ignore[arg-type]


@settings(max_examples=15, deadline=None)
@given(genre=st.sampled_from(GENRES), seed=st.integers(0, 2**40),
       seconds=st.floats(0.01, 2.0), variant=st.sampled_from(["train", "ood"]))
def test_any_valid_request_gives_finite_audio_of_the_documented_shape(
        genre: str, seed: int, seconds: float, variant: str) -> None:
    clip = render_clip(genre, seed=seed, seconds=seconds, variant=variant)
    assert clip.audio.shape == (int(round(seconds * SR)),)
    assert np.all(np.isfinite(clip.audio)) and np.max(np.abs(clip.audio), initial=0.0) <= 1.0


TAXONOMY = Path(__file__).resolve().parents[3] / "data" / "taxonomy.yaml"


@pytest.mark.skipif(not TAXONOMY.is_file(), reason="data/taxonomy.yaml not present")
def test_grammar_tempo_ranges_equal_the_taxonomy() -> None:
    data = yaml.safe_load(TAXONOMY.read_text(encoding="utf-8"))
    records = data["genres"] if isinstance(data, dict) else data
    tempo = {r["slug"]: tuple(r["tempo_bpm"]) for r in records}
    for slug, grammar in GRAMMARS.items():
        assert grammar.tempo_bpm == tempo[slug], slug
