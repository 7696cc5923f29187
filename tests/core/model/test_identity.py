"""The installed model's version, read from its summary without torch."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from genrelens.model.identity import default_weights_path, installed_model_version, summary_path
from genrelens.predict.infer import GenreModel


def test_shipped_summary_matches_the_shipped_checkpoint() -> None:
    model = GenreModel.load()
    summary = json.loads(summary_path(default_weights_path()).read_text(encoding="utf-8"))
    assert installed_model_version() == model.checkpoint.config.version == summary["version"]
    assert summary["labels"] == list(model.labels) and summary["name"] == model.checkpoint.config.name


def test_a_replaced_checkpoint_or_a_missing_summary_has_no_version(tmp_path: Path) -> None:
    copy = tmp_path / "model.pt"
    shutil.copy(default_weights_path(), copy)
    assert installed_model_version(copy) is None  # no summary beside it
    shutil.copy(summary_path(default_weights_path()), summary_path(copy))
    assert installed_model_version(copy) == installed_model_version()
    copy.write_bytes(copy.read_bytes() + b"\0")  # other bytes, same summary
    assert installed_model_version(copy) is None


def test_reading_the_version_does_not_import_torch() -> None:
    code = (
        "import sys; from genrelens.model.identity import installed_model_version; "
        "assert installed_model_version(); assert 'torch' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
