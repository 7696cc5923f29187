"""Benchmark: genre-model inference time per minute of audio (eager, channels-last, ONNX).

Run: ``PYTHONPATH=. python bench/bench_model.py [--model PATH] [--repeats 15]``.
ONNX needs ``onnx`` and ``onnxruntime`` (the ``onnx`` extra, installed by bootstrap); without them
that row is skipped. Prints one line per variant: median seconds per minute of audio.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable

import numpy as np
import torch

from genrelens.features.extract import extract_signal
from genrelens.model.checkpoint import load_checkpoint
from genrelens.model.config import ModelConfig, current_feature_params
from genrelens.model.network import GenreNet, run_network

__all__: list[str] = []

SECONDS = 60.0
SR = 22050


def _signal() -> np.ndarray:
    try:
        from genrelens.synth.render import render_clip

        return render_clip("tech-house", seed=1, seconds=SECONDS).audio
    except ImportError:
        rng = np.random.default_rng(440)
        return (0.1 * rng.standard_normal(int(SECONDS * SR))).astype(np.float32)


def _median(fn: Callable[[], object], repeats: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", help="checkpoint (default: random weights, shipped config)")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if args.model:
        net = load_checkpoint(args.model).net
    else:
        labels = tuple(f"g{i}" for i in range(52))
        net = GenreNet(ModelConfig(labels=labels, features=current_feature_params())).eval()
    y = _signal()
    t_feat = _median(lambda: extract_signal(y, sr=SR), max(3, args.repeats // 5))
    _, batch = extract_signal(y, sr=SR)
    mel = batch.log_mel.astype(np.float32)
    summ = batch.vectors.astype(np.float32)
    n = mel.shape[0]
    print(f"{n} windows per {SECONDS:.0f} s; threads {args.threads}")
    print(f"features (extract_signal)      {t_feat:.3f} s per minute")
    eager = _median(lambda: run_network(net, mel, summ), args.repeats)
    print(f"model eager                     {eager:.4f} s per minute")
    ref = run_network(net, mel, summ).logits
    cl = GenreNet(net.config).eval()
    cl.load_state_dict(net.state_dict())
    cl.set_channels_last(True)
    t_cl = _median(lambda: run_network(cl, mel, summ), args.repeats)
    err = float(np.abs(run_network(cl, mel, summ).logits - ref).max())
    print(f"model channels-last             {t_cl:.4f} s per minute (max |diff| {err:.1e})")
    try:
        import onnxruntime as ort
    except ImportError:
        print("model ONNX                      skipped (onnxruntime not installed)")
        return

    class Logits(torch.nn.Module):
        def __init__(self, inner: GenreNet) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, logmel: torch.Tensor, summary: torch.Tensor) -> torch.Tensor:
            out: torch.Tensor = self.inner(logmel, summary)
            return out

    buf = io.BytesIO()
    torch.onnx.export(
        Logits(net).eval(),
        (torch.from_numpy(mel[:2]), torch.from_numpy(summ[:2])),
        buf,
        input_names=["logmel", "summary"],
        output_names=["logits"],
        dynamic_axes={"logmel": {0: "n"}, "summary": {0: "n"}, "logits": {0: "n"}},
        dynamo=False,
    )
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = args.threads
    opts.inter_op_num_threads = 1
    sess = ort.InferenceSession(buf.getvalue(), opts, providers=["CPUExecutionProvider"])
    t_onnx = _median(lambda: sess.run(None, {"logmel": mel, "summary": summ}), args.repeats)
    err = float(np.abs(sess.run(None, {"logmel": mel, "summary": summ})[0] - ref).max())
    print(f"model ONNX Runtime              {t_onnx:.4f} s per minute (max |diff| {err:.1e})")


if __name__ == "__main__":
    main()
