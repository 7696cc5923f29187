"""Without the train extra (no torch, no onnx), analysis works and training commands say why not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

#: Makes ``import torch`` and ``import onnx`` fail as on an install without the extra.
_BLOCK = """
import sys
class _Missing:
    def find_spec(self, name, path=None, target=None):
        top = name.split(".")[0]
        if top in ("torch", "onnx"):
            raise ModuleNotFoundError(f"No module named {top!r}", name=top)
        return None
sys.meta_path.insert(0, _Missing())
from genrelens.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def _genrelens(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", _BLOCK, *args], env=env, capture_output=True,
                          text=True, check=False)


def test_help_lists_every_command_and_training_says_what_is_missing() -> None:
    shown = _genrelens("--help")
    assert shown.returncode == 0, shown.stderr
    assert "train" in shown.stdout and "needs the train extra" in shown.stdout
    done = _genrelens("train", "--data", "somewhere")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "genrelens: train: needs torch (pip install 'genrelens[train]') [missing_dependency]"
    )


def test_analyze_runs_without_the_train_extra(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    import soundfile as sf
    from signals import click_track

    path = tmp_path / "clip.wav"
    sf.write(path, click_track(124.0, 8.0, sr=22050, seed=3), 22050)
    done = _genrelens("analyze", "--json", str(path))
    assert done.returncode == 0, done.stderr[-1500:]
    assert '"genres"' in done.stdout
