"""One-time conversion of musicnn's TensorFlow checkpoints to the weights GenreLens ships.

Not part of set-up or CI: run it by hand in a throwaway venv that has TensorFlow (see
docs/musicnn.md)::

    python3.11 -m venv /tmp/tfvenv
    /tmp/tfvenv/bin/pip install tensorflow-cpu==2.15.1 'numpy<2' librosa==0.11.0 soundfile
    /tmp/tfvenv/bin/pip install --no-deps musicnn==0.1.0
    /tmp/tfvenv/bin/python tools/convert_musicnn.py

It reads ``MSD_musicnn`` and ``MTT_musicnn`` from the installed wheel and writes

* ``genrelens/backbone/weights/{msd,mtt}_musicnn.npz``: every inference variable, renamed and
  transposed to the PyTorch module's ``state_dict`` layout, plus a JSON ``__meta__`` entry (labels,
  feature parameters, provenance) that the loader checks;
* ``tests/core/backbone/data/musicnn_reference.npz``: musicnn's own outputs (its
  ``extractor.batch_data`` librosa input and its ``models.define_model`` TensorFlow graph) on the
  seeded signals of ``genrelens.backbone.reference``, which the parity test compares the port
  against.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from genrelens.backbone.reference import (  # noqa: E402
    REFERENCE_SEED,
    REFERENCE_SR,
    reference_signals,
)

__all__ = ["MODELS", "tf_to_torch", "main"]

#: musicnn model name -> file stem GenreLens ships.
MODELS = {"MSD_musicnn": "msd_musicnn", "MTT_musicnn": "mtt_musicnn"}
#: Version of the ``.npz`` layout; the loader refuses any other.
FORMAT_VERSION = 1
#: Frames per 3-second patch, as musicnn's extractor computes them for ``input_length=3``.
N_FRAMES = 187
#: TF layer name -> PyTorch module name, in musicnn's graph-construction order.
_CONV2D = {
    "conv2d": "timbral.0.conv",
    "conv2d_1": "timbral.1.conv",
    "conv2d_2": "temporal.0.conv",
    "conv2d_3": "temporal.1.conv",
    "conv2d_4": "temporal.2.conv",
}
_CONV1D = {"conv2d_5": "midend.0.conv", "conv2d_6": "midend.1.conv", "conv2d_7": "midend.2.conv"}
_BATCH_NORM = {
    "batch_normalization": "input_bn",
    "batch_normalization_1": "timbral.0.bn",
    "batch_normalization_2": "timbral.1.bn",
    "batch_normalization_3": "temporal.0.bn",
    "batch_normalization_4": "temporal.1.bn",
    "batch_normalization_5": "temporal.2.bn",
    "batch_normalization_6": "midend.0.bn",
    "batch_normalization_7": "midend.1.bn",
    "batch_normalization_8": "midend.2.bn",
    "batch_normalization_9": "pool_bn",
    "batch_normalization_10": "dense_bn",
}
_DENSE = {"dense": "dense", "dense_1": "output"}


def tf_to_torch(variables: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Rename and transpose musicnn's TF variables to the PyTorch ``Musicnn`` layout."""
    out: dict[str, np.ndarray] = {}
    for tf_name, name in _CONV2D.items():
        # TF [kh, kw, in, out] -> torch [out, in, kh, kw]
        out[f"{name}.weight"] = variables[f"{tf_name}/kernel"].transpose(3, 2, 0, 1)
        out[f"{name}.bias"] = variables[f"{tf_name}/bias"]
    for tf_name, name in _CONV1D.items():
        # TF [7, channels, 1, out] over (time, channels) -> Conv1d [out, channels, 7]
        out[f"{name}.weight"] = variables[f"{tf_name}/kernel"][:, :, 0, :].transpose(2, 1, 0)
        out[f"{name}.bias"] = variables[f"{tf_name}/bias"]
    for tf_name, name in _BATCH_NORM.items():
        out[f"{name}.weight"] = variables[f"{tf_name}/gamma"]
        out[f"{name}.bias"] = variables[f"{tf_name}/beta"]
        out[f"{name}.running_mean"] = variables[f"{tf_name}/moving_mean"]
        out[f"{name}.running_var"] = variables[f"{tf_name}/moving_variance"]
    for tf_name, name in _DENSE.items():
        out[f"{name}.weight"] = variables[f"{tf_name}/kernel"].T  # [in, out] -> [out, in]
        out[f"{name}.bias"] = variables[f"{tf_name}/bias"]
    used = {f"{k}/{v}" for k in _CONV2D | _CONV1D | _DENSE for v in ("kernel", "bias")} | {
        f"{k}/{v}" for k in _BATCH_NORM for v in ("gamma", "beta", "moving_mean", "moving_variance")
    }
    unused = sorted(set(variables) - used)
    if unused:
        raise SystemExit(f"unexpected checkpoint variables: {unused}")
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in out.items()}


def _read_checkpoint(prefix: str) -> dict[str, np.ndarray]:
    import tensorflow as tf

    reader = tf.compat.v1.train.NewCheckpointReader(prefix)
    names = reader.get_variable_to_shape_map()
    # Adam slots and its beta powers are training state, not part of the network.
    return {
        n: reader.get_tensor(n)
        for n in names
        if "Adam" not in n and n not in ("beta1_power", "beta2_power")
    }


def _run_musicnn(model: str, batch: np.ndarray, prefix: str) -> dict[str, np.ndarray]:
    """musicnn's own graph and restore (as ``extractor.extractor``), all patches in one run.

    ``extractor.extractor`` itself is not used for the references: for every patch after the
    first it returns the first patch's ``penultimate`` (and ``cnn1..3``) again, because its loop
    unpacks them into other names (musicnn 0.1.0 ``extractor.py``).
    """
    import tensorflow as tf
    from musicnn import models

    tf.compat.v1.reset_default_graph()
    with tf.name_scope("model"):
        x = tf.compat.v1.placeholder(tf.float32, [None, batch.shape[1], batch.shape[2]])
        is_training = tf.compat.v1.placeholder(tf.bool)
        y, _, _, _, _, _, mean_pool, max_pool, penultimate = models.define_model(
            x, is_training, model, 50
        )
        probabilities = tf.nn.sigmoid(y)
    with tf.compat.v1.Session() as sess:
        sess.run(tf.compat.v1.global_variables_initializer())
        tf.compat.v1.train.Saver().restore(sess, prefix)
        outs = sess.run(
            [probabilities, penultimate, mean_pool, max_pool],
            feed_dict={x: batch, is_training: False},
        )
    keys = ("probabilities", "penultimate", "mean_pool", "max_pool")
    return {k: np.asarray(v, dtype=np.float32) for k, v in zip(keys, outs, strict=True)}


def _reference_outputs(wav_dir: Path, package: Path) -> dict[str, np.ndarray]:
    import soundfile as sf
    from musicnn import extractor

    arrays: dict[str, np.ndarray] = {}
    for signal, y in reference_signals().items():
        path = wav_dir / f"{signal}.wav"
        sf.write(path, y, REFERENCE_SR, subtype="FLOAT")
        arrays[f"signal/{signal}/l1"] = np.asarray(np.abs(y.astype(np.float64)).sum())
        # musicnn's own input code: librosa.load, mel, float16, log10(10000 x + 1), patches.
        batch, _ = extractor.batch_data(str(path), N_FRAMES, N_FRAMES)
        for model in MODELS:
            outs = _run_musicnn(model, batch, f"{package / model}/")
            for key, value in outs.items():
                arrays[f"{model}/{signal}/{key}"] = value
    return arrays


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights-dir", type=Path, default=REPO / "genrelens/backbone/weights")
    parser.add_argument(
        "--reference", type=Path, default=REPO / "tests/core/backbone/data/musicnn_reference.npz"
    )
    args = parser.parse_args(argv)

    import librosa
    import musicnn
    import tensorflow as tf
    from musicnn import configuration

    package = Path(musicnn.__file__).parent
    labels = {"MSD_musicnn": configuration.MSD_LABELS, "MTT_musicnn": configuration.MTT_LABELS}
    args.weights_dir.mkdir(parents=True, exist_ok=True)
    for model, stem in MODELS.items():
        arrays = tf_to_torch(_read_checkpoint(f"{package / model}/"))
        meta = {
            "format": "genrelens-musicnn",
            "format_version": FORMAT_VERSION,
            "model": model,
            "labels": list(labels[model]),
            "features": {
                "sr": configuration.SR,
                "n_fft": configuration.FFT_SIZE,
                "hop_length": configuration.FFT_HOP,
                "n_mels": configuration.N_MELS,
                "n_frames": N_FRAMES,
            },
            "source": "musicnn 0.1.0 (PyPI wheel), ISC licence, (c) Music Technology Group, "
            "Universitat Pompeu Fabra 2019; Pons & Serra, ISMIR LBD 2019",
            "converted_with": f"tensorflow {tf.__version__}, numpy {np.__version__}",
        }
        arrays["__meta__"] = np.asarray(json.dumps(meta, sort_keys=True))
        out = args.weights_dir / f"{stem}.npz"
        np.savez_compressed(out, **arrays)
        print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB, {len(arrays) - 1} arrays)")

    with tempfile.TemporaryDirectory() as tmp:
        reference = _reference_outputs(Path(tmp), package)
    reference["meta/seed"] = np.asarray(REFERENCE_SEED)
    reference["meta/versions"] = np.asarray(
        f"musicnn 0.1.0, tensorflow {tf.__version__}, librosa {librosa.__version__}, "
        f"numpy {np.__version__}"
    )
    args.reference.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.reference, **reference)
    print(f"wrote {args.reference} ({args.reference.stat().st_size / 1e3:.0f} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
