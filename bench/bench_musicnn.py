"""Benchmark: musicnn embeddings per minute of audio, the ONNX graph vs the TensorFlow original.

Usage::

    PYTHONPATH=. python bench/bench_musicnn.py [--seconds 120] [--repeats 3]
        [--tf-python /path/to/tfvenv/bin/python]

The shipped ONNX graph (the PyTorch port, exported) runs in this process with 1 and 2
threads. The TensorFlow original (musicnn 0.1.0's own ``extractor.extractor``, librosa mel
included) runs in a subprocess of the
interpreter given by ``--tf-python`` (or this one, if it can import tensorflow and musicnn),
pinned to 1 and 2 CPUs; where neither has them, that part is skipped with the reason printed.
Both sides tag the same rendered audio (``genrelens.backbone.reference``, 16 kHz) with
back-to-back 3-second patches and the MSD model. Each figure is the best of ``--repeats``
interleaved runs; the TensorFlow time includes musicnn's graph building and checkpoint restore,
which its ``extractor`` repeats on every call.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

from genrelens.backbone.embed import MusicnnBackbone
from genrelens.backbone.frontend import SAMPLE_RATE
from genrelens.backbone.reference import reference_signals

__all__ = ["main"]

#: Run in the TensorFlow interpreter: pin CPUs, then time musicnn's own extractor.
_TF_SCRIPT = """
import json, os, sys, time
os.sched_setaffinity(0, set(range(int(sys.argv[2]))))
from musicnn import extractor
t0 = time.perf_counter()
taggram, _, features = extractor.extractor(sys.argv[1], model="MSD_musicnn",
                                           input_length=3, extract_features=True)
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "patches": int(taggram.shape[0])}))
"""


def _has_tensorflow(python: str) -> tuple[bool, str]:
    probe = subprocess.run(
        [python, "-c", "import tensorflow, musicnn"], capture_output=True, text=True, check=False
    )
    if probe.returncode == 0:
        return True, ""
    lines = probe.stderr.strip().splitlines()
    return False, lines[-1] if lines else f"exit code {probe.returncode}"


def _onnx_seconds(y: np.ndarray, threads: int) -> tuple[float, int]:
    backbone = MusicnnBackbone.load("msd", threads=threads)
    t0 = time.perf_counter()
    out = backbone.analyze(y, sr=SAMPLE_RATE)
    return time.perf_counter() - t0, out.n_patches


def _tf_seconds(python: str, wav: Path, cpus: int) -> tuple[float, int]:
    run = subprocess.run(
        [python, "-c", _TF_SCRIPT, str(wav), str(cpus)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    result = json.loads(run.stdout.strip().splitlines()[-1])
    return float(result["seconds"]), int(result["patches"])


def _report(label: str, seconds: float, audio_minutes: float, patches: int) -> None:
    per_minute = seconds / audio_minutes
    print(
        f"{label:<28} {per_minute:7.2f} s per audio minute  "
        f"{60.0 / per_minute:7.1f} audio minutes per minute  ({patches} patches)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120.0, help="audio length [s]")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--tf-python", help="interpreter with tensorflow and musicnn installed")
    args = parser.parse_args(argv)

    y = reference_signals(seconds=args.seconds)["club_loop"]
    minutes = len(y) / SAMPLE_RATE / 60
    print(f"musicnn MSD, {args.seconds:.0f} s of rendered audio at 16 kHz, best of {args.repeats}")
    load = os.getloadavg()[0]
    print(f"load average before: {load:.2f} on {os.cpu_count()} CPUs")
    python = args.tf_python or sys.executable
    has_tf, reason = _has_tensorflow(python)
    backbone = MusicnnBackbone.load("msd")
    backbone.analyze(y[: SAMPLE_RATE * 4], sr=SAMPLE_RATE)  # warm-up
    best: dict[str, tuple[float, int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "bench.wav"
        sf.write(wav, y, SAMPLE_RATE, subtype="FLOAT")
        # Rounds interleave the configurations, so that load from other processes hits all alike.
        for _ in range(args.repeats):
            for n in (1, 2):
                runs = {f"onnx runtime graph, {n} thread(s)": _onnx_seconds(y, n)}
                if has_tf:
                    runs[f"tensorflow original, {n} CPU(s)"] = _tf_seconds(python, wav, n)
                for label, result in runs.items():
                    best[label] = min(best.get(label, result), result)
    for label in sorted(best, key=lambda k: (k.startswith("tensorflow"), k)):
        _report(label, best[label][0], minutes, best[label][1])
    if not has_tf:
        print(
            f"tensorflow original: skipped ({python} cannot import tensorflow, musicnn: {reason})"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
