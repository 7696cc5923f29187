"""The shipped default model: present, small, loadable by the running feature extractor."""

from __future__ import annotations

import numpy as np

from genrelens.model.config import current_feature_params
from genrelens.model.identity import default_weights_path
from genrelens.predict.infer import GenreModel
from genrelens.train.windows import signal_windows

#: The issue's limit on the committed weights [bytes].
MAX_BYTES = 20 * 2**20


def test_default_weights_are_shipped_and_small() -> None:
    path = default_weights_path()
    assert path.is_file()
    assert path.stat().st_size < MAX_BYTES


def test_default_model_matches_the_running_features_and_predicts() -> None:
    # Fails (ModelMismatchError) when the feature extractor changes: retrain, see docs/model.md.
    model = GenreModel.load(expected_features=current_feature_params())
    assert len(model.labels) == 52
    rng = np.random.default_rng(440)
    y = (0.1 * rng.standard_normal(22050 * 8)).astype(np.float32)
    w = signal_windows(y, sr=22050)
    probs = model.predict_windows(w["logmel"], w["summary"])
    assert probs.shape == (w["logmel"].shape[0], 52)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-6)
