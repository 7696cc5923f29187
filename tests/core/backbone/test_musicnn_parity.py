"""Parity of the shipped musicnn graphs with the TensorFlow original and the PyTorch port.

The reference arrays were written once by ``tools/convert_musicnn.py`` with musicnn 0.1.0 and
TensorFlow 2.15.1 on the seeded signals of ``genrelens.backbone.reference``; these tests need
neither TensorFlow nor musicnn. The ONNX graphs inference runs (``tools/export_onnx.py``) are
compared with the eager PyTorch network they were exported from, and with their weights file.
"""

from __future__ import annotations

from pathlib import Path

import librosa
import numpy as np
import pytest

from genrelens.backbone.embed import GRAPH_META_KEY, MusicnnBackbone, graph_path, weights_path
from genrelens.backbone.frontend import (
    HOP_LENGTH,
    N_FFT,
    N_MELS,
    PATCH_FRAMES,
    PATCH_SAMPLES,
    SAMPLE_RATE,
    log_mel,
)
from genrelens.datasets.cache import file_digest
from genrelens.runtime import graph_metadata, onnx_session

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
    ours = log_mel(segments.astype(np.float32))
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


@pytest.mark.parametrize("model", sorted(MODELS))
def test_shipped_graph_was_exported_from_the_shipped_weights(model: str) -> None:
    meta = graph_metadata(onnx_session(graph_path(model)), GRAPH_META_KEY)
    assert meta is not None
    # A stale graph (weights re-converted, export not re-run) fails here, without torch.
    assert meta["weights_sha256"] == file_digest(weights_path(model))


#: Largest |graph - eager| on the seeded signals, relative to each output's largest value.
EAGER_RELATIVE_TOLERANCE = 1e-5


@pytest.mark.parametrize("model", sorted(MODELS))
def test_graph_matches_the_eager_pytorch_network(
    model: str, signals: dict[str, np.ndarray], msd: MusicnnBackbone, mtt: MusicnnBackbone
) -> None:
    pytest.importorskip("torch")  # the training extra
    from genrelens.backbone.export import OUTPUTS, load_network, run_network

    y = np.pad(signals["club_loop"], N_FFT // 2)
    n = (len(y) - PATCH_SAMPLES) // (PATCH_FRAMES * HOP_LENGTH) + 1
    patches = log_mel(np.stack([y[p * PATCH_FRAMES * HOP_LENGTH :][:PATCH_SAMPLES] for p in range(n)]))
    got = {"msd": msd, "mtt": mtt}[model]._session.run(None, {"log_mel": patches})
    want = run_network(load_network(model), patches)  # type: ignore[arg-type]
    for name, g, w in zip(OUTPUTS, got, want, strict=True):
        assert np.abs(g - w).max() <= EAGER_RELATIVE_TOLERANCE * max(1.0, np.abs(w).max()), name
