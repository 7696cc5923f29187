"""Benchmark of the core analysis against plain librosa calls, measured in the same run.

Prints real-time factors (audio seconds per wall second) of decode, features and the whole
analysis for a 6-minute MP3 on one core and on two, the same for the plain-librosa baseline
(librosa.load + each feature function called on its own) and the peak memory of a two-hour mix.
The cold start of ``genrelens analyze`` has its own benchmark: bench/bench_cold_start.py.

Usage: python bench/bench_analysis.py [--skip-mix]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from signals import click_track, noise  # noqa: E402

CACHE = ROOT / ".cache" / "bench"
SR_FILE = 44100


def _track(seconds: float, bpm: float, seed: int) -> np.ndarray:
    y = click_track(bpm, seconds, sr=SR_FILE, seed=seed) + noise(seconds, sr=SR_FILE, seed=seed, gain=0.02)
    return np.stack([y, 0.9 * y], axis=1)


def _make_mp3(name: str, sections: list[tuple[float, float]]) -> Path:
    """Write (seconds, bpm) sections as one stereo 44.1 kHz MP3, streamed to disk."""
    path = CACHE / name
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.mp3")
    with sf.SoundFile(tmp, "w", SR_FILE, 2, format="MP3") as out:
        for i, (seconds, bpm) in enumerate(sections):
            for start in range(0, int(seconds), 60):
                out.write(_track(min(60.0, seconds - start), bpm, seed=i * 1000 + start))
    tmp.rename(path)
    return path


def _run_python(code: str, cores: str) -> dict[str, float]:
    """Run ``code`` in a fresh interpreter pinned to ``cores``; it prints one JSON line."""
    cmd = ["taskset", "-c", cores, sys.executable, "-c", code]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# As `genrelens analyze` and the Celery worker run it: the libraries single-threaded, set before
# numpy loads (genrelens.runtime.single_threaded_libraries).
OURS = """
import json, time
from genrelens.runtime import single_threaded_libraries; single_threaded_libraries()
from genrelens.predict.pipeline import analyze_path
from genrelens.features.extract import extract_signal
import numpy as np
path = {path!r}
analyze_path(path, max_seconds=10)  # warm imports, as a worker would be
t = time.perf_counter(); r = analyze_path(path); total = time.perf_counter() - t
print(json.dumps({{"duration": r.source.duration_analyzed_s, "decode": r.timings["decode_s"],
                  "features": r.timings["features_s"], "total": total}}))
"""

BASELINE = """
import json, time, librosa, numpy as np
path = {path!r}
librosa.beat.beat_track(y=np.random.default_rng(0).standard_normal(22050 * 5).astype("float32"))
t = time.perf_counter(); y, sr = librosa.load(path, sr=22050); decode = time.perf_counter() - t
t2 = time.perf_counter()
librosa.feature.melspectrogram(y=y, sr=sr, n_mels=96)
librosa.feature.mfcc(y=y, sr=sr, n_mfcc=20)
librosa.feature.spectral_centroid(y=y, sr=sr); librosa.feature.spectral_bandwidth(y=y, sr=sr)
librosa.feature.spectral_rolloff(y=y, sr=sr); librosa.feature.spectral_flatness(y=y)
librosa.feature.spectral_contrast(y=y, sr=sr); librosa.feature.chroma_stft(y=y, sr=sr)
librosa.feature.zero_crossing_rate(y); librosa.feature.rms(y=y)
librosa.onset.onset_strength(y=y, sr=sr); librosa.beat.beat_track(y=y, sr=sr)
features = time.perf_counter() - t2
print(json.dumps({{"duration": len(y) / sr, "decode": decode, "features": features,
                  "total": decode + features}}))
"""

MEMORY = """
import json, resource, time
from genrelens.runtime import single_threaded_libraries; single_threaded_libraries()
from genrelens.predict.pipeline import analyze_path
t = time.perf_counter(); r = analyze_path({path!r}); total = time.perf_counter() - t
from genrelens.audio.decoder import close_kept; close_kept()  # children count once they end
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({{"duration": r.source.duration_analyzed_s, "total": total, "rss_mb": own,
                  "decoder_rss_mb": child, "bpm_segments": len(r.timeline)}}))
"""


def _rtf(row: dict[str, float], key: str) -> float:
    return row["duration"] / row[key]


def _print_rows(title: str, rows: dict[str, dict[str, float]]) -> None:
    print(f"\n{title}")
    print(f"{'run':<28}{'decode x':>10}{'features x':>12}{'whole x':>10}{'whole s':>10}")
    for name, row in rows.items():
        print(f"{name:<28}{_rtf(row, 'decode'):>10.0f}{_rtf(row, 'features'):>12.0f}"
              f"{_rtf(row, 'total'):>10.0f}{row['total']:>10.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-mix", action="store_true", help="skip the two-hour mix")
    args = parser.parse_args()
    six = _make_mp3("six_minutes.mp3", [(360.0, 124.0)])
    rows = {}
    for cores, label in (("0", "1 core"), ("0,1", "2 cores")):
        rows[f"genrelens, {label}"] = _run_python(OURS.format(path=str(six)), cores)
        rows[f"plain librosa, {label}"] = _run_python(BASELINE.format(path=str(six)), cores)
    _print_rows("6-minute MP3 (44.1 kHz stereo), real-time factors", rows)
    for label in ("1 core", "2 cores"):
        ratio = rows[f"plain librosa, {label}"]["total"] / rows[f"genrelens, {label}"]["total"]
        print(f"speed-up of the whole analysis over plain librosa, {label}: {ratio:.1f}x")
    if not args.skip_mix:
        mix = _make_mp3("two_hour_mix.mp3", [(600.0, 118.0 + 2 * i) for i in range(12)])
        row = _run_python(MEMORY.format(path=str(mix)), "0")
        print(f"\ntwo-hour mix, 1 core: {row['duration'] / 60:.0f} min analysed in "
              f"{row['total']:.1f} s"
              f" ({row['duration'] / row['total']:.0f}x real time); peak RSS analysis process "
              f"{row['rss_mb']:.0f} MB, decoder child {row['decoder_rss_mb']:.0f} MB; "
              f"{row['bpm_segments']:.0f} timeline segments")
    driver_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"\n(peak RSS of this driver process: {driver_mb} MB)")


if __name__ == "__main__":
    main()
