"""Parity of the PyTorch musicnn with the TensorFlow original (reference arrays committed).

The reference arrays were written once by ``tools/convert_musicnn.py`` with musicnn 0.1.0 and
TensorFlow 2.15.1 on the seeded signals of ``genrelens.backbone.reference``; these tests need
neither TensorFlow nor musicnn.
"""

from __future__ import annotations

from pathlib import Path

import librosa
import numpy as np
import pytest
import torch

from genrelens.backbone.embed import MusicnnBackbone
from genrelens.backbone.frontend import (
    HOP_LENGTH,
    N_FFT,
    N_MELS,
    PATCH_FRAMES,
    PATCH_SAMPLES,
    SAMPLE_RATE,
    LogMelFrontEnd,
)

REFERENCE = Path(__file__).parent / "data" / "musicnn_reference.npz"
#: The issue's bar for tag probabilities and penultimate embeddings.
TOLERANCE = 1e-4
#: The pooled maps reach about 100, so they are compared relative to their largest value.
POOLED_RELATIVE_TOLERANCE = 3e-5
MODELS = {"msd": "MSD_musicnn", "mtt": "MTT_musicnn"}
SIGNALS = ("club_loop", "piano_like", "noise")


@pytest.fixture(scope="module")
def reference() -> dict[str, np.ndarray]:
    with np.load(REFERENCE, allow_pickle=False) as data:
        return {k: data[k] for k in data.files}


def test_reference_signals_are_the_ones_tensorflow_saw(
    signals: dict[str, np.ndarray], reference: dict[str, np.ndarray]
) -> None:
    for name in SIGNALS:
        l1 = np.abs(signals[name].astype(np.float64)).sum()
        assert l1 == pytest.approx(float(reference[f"signal/{name}/l1"]), rel=1e-7)


@pytest.mark.parametrize("name", SIGNALS)
def test_frontend_matches_musicnns_librosa_input(name: str, signals: dict[str, np.ndarray]) -> None:
    y = signals[name]
    # musicnn 0.1.0 extractor.batch_data, with numpy<2's float32 promotion spelled out.
    mel = librosa.feature.melspectrogram(
        y=y, sr=SAMPLE_RATE, hop_length=HOP_LENGTH, n_fft=N_FFT, n_mels=N_MELS
    ).T
    expected = np.log10(10000 * mel.astype(np.float16).astype(np.float32) + 1)
    padded = np.pad(y, N_FFT // 2)
    n = (expected.shape[0] - PATCH_FRAMES) // PATCH_FRAMES + 1
    segments = np.stack([padded[p * PATCH_FRAMES * HOP_LENGTH :][:PATCH_SAMPLES] for p in range(n)])
    with torch.no_grad():
        ours = LogMelFrontEnd()(torch.from_numpy(segments)).numpy()
    expected_patches = np.stack(
        [expected[p * PATCH_FRAMES : (p + 1) * PATCH_FRAMES] for p in range(n)]
    )
    diff = np.abs(ours - expected_patches)
    # Float32 FFTs differ in the last bits, so a few values round to the neighbouring float16
    # (one float16 step moves log10(1 + 10000 x) by at most 4.3e-4); all else is equal.
    assert diff.max() < 5e-4
    assert np.mean(diff > 1e-5) < 1e-3


@pytest.mark.parametrize("name", SIGNALS)
@pytest.mark.parametrize("model", sorted(MODELS))
def test_port_matches_tensorflow(
    model: str,
    name: str,
    signals: dict[str, np.ndarray],
    reference: dict[str, np.ndarray],
    msd: MusicnnBackbone,
    mtt: MusicnnBackbone,
) -> None:
    backbone = {"msd": msd, "mtt": mtt}[model]
    out = backbone.analyze(signals[name], sr=SAMPLE_RATE)
    key = f"{MODELS[model]}/{name}"
    assert out.probabilities.shape == reference[f"{key}/probabilities"].shape
    assert np.abs(out.probabilities - reference[f"{key}/probabilities"]).max() < TOLERANCE
    assert np.abs(out.penultimate - reference[f"{key}/penultimate"]).max() < TOLERANCE
    for pooled in ("mean_pool", "max_pool"):
        expected = reference[f"{key}/{pooled}"]
        scale = np.abs(expected).max()
        diff = np.abs(getattr(out, pooled) - expected).max()
        assert diff < POOLED_RELATIVE_TOLERANCE * scale
