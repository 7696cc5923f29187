"""Import contracts: folders by lifecycle, inference never loads torch, lower layers never import up.

``genrelens.model`` (what a checkpoint holds) imports neither ``genrelens.predict`` (how a track
is analysed) nor ``genrelens.train`` (how the model is trained); ``predict`` never imports
``train``, torch or ``onnx`` (ONNX Runtime is fine).

Two kinds of check. The static ones follow every ``import`` statement in ``genrelens/`` (those
inside functions too) from an entry module, so a lazy import of training code fails here even
when no test happens to run it. The runtime ones import the analysis entry points in a fresh
interpreter (the CLI, the Celery task module and the web process, with Django settings) and
look at ``sys.modules``.
"""
from __future__ import annotations

import ast
import os
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "genrelens"

#: Where inference starts: the pipeline, the CLI command and what the backend calls.
INFERENCE_ROOTS = ("genrelens.predict.pipeline", "genrelens.cli.analyze", "genrelens.cli.main",
                   "genrelens.model.identity")
#: Training, evaluation and export: torch's side of the package.
TRAINING = (
    "genrelens.train", "genrelens.model.checkpoint", "genrelens.model.export", "genrelens.model.network",
    "genrelens.backbone.export", "genrelens.backbone.musicnn", "genrelens.synth", "genrelens.cli.train",
    "genrelens.cli.evaluate",
)  # fmt: skip
#: Folders by lifecycle -> what they must never load, directly or through any module they import:
#: what a checkpoint is (model) knows neither how it is run nor how it is trained, and what runs
#: for every upload (predict) loads neither training code nor torch nor the ONNX export library.
LIFECYCLE = {
    "genrelens.model": ("genrelens.predict", "genrelens.train"),
    "genrelens.predict": ("genrelens.train", "torch", "onnx"),
}
#: Lower layers -> packages they must never import (nothing imports up).
LAYERS = {
    "genrelens.audio": ("genrelens.model", "genrelens.backbone", "genrelens.predict", "genrelens.train",
                        "genrelens.cli"),
    "genrelens.features": ("genrelens.model", "genrelens.backbone", "genrelens.predict", "genrelens.train",
                           "genrelens.cli"),
    "genrelens.backbone": ("genrelens.model", "genrelens.predict", "genrelens.train", "genrelens.cli"),
    "genrelens.runtime": ("genrelens.model", "genrelens.backbone", "genrelens.predict", "genrelens.train"),
}  # fmt: skip


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


@cache
def _imports(module: str) -> frozenset[str]:
    """Every module ``module`` imports anywhere in its source (absolute names)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(_modules()[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names
                         if f"{node.module}.{alias.name}" in _modules())
    return frozenset(found)


def _closure(roots: tuple[str, ...]) -> dict[str, str]:
    """Every module reachable from ``roots`` -> the module that first imported it."""
    seen: dict[str, str] = {root: "" for root in roots}
    todo = list(roots)
    while todo:
        current = todo.pop()
        for name in _imports(current):
            # A package import runs its __init__; a submodule import runs its parents'.
            parts = name.split(".")
            for i in range(1, len(parts) + 1):
                prefix = ".".join(parts[:i])
                if prefix not in seen:
                    seen[prefix] = current
                    if prefix in _modules():
                        todo.append(prefix)
    return seen


def _within(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def test_inference_never_imports_training_code_or_torch() -> None:
    reached = _closure(INFERENCE_ROOTS)
    bad = {m: by for m, by in reached.items() if _within(m, (*TRAINING, "torch", "onnx"))}
    assert not bad, f"imported by inference (module: importer): {bad}"


@pytest.mark.parametrize("package", sorted(LIFECYCLE))
def test_lifecycle_folders_never_load_what_comes_later(package: str) -> None:
    reached = _closure(tuple(m for m in _modules() if _within(m, (package,))))
    bad = {m: by for m, by in reached.items() if _within(m, LIFECYCLE[package])}
    assert not bad, f"loaded by {package} (module: importer): {bad}"


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_lower_layers_never_import_up(layer: str) -> None:
    bad = {
        module: sorted(n for n in _imports(module) if _within(n, LAYERS[layer]))
        for module in _modules()
        if _within(module, (layer,))
    }
    assert not {m: names for m, names in bad.items() if names}


def test_core_never_imports_django() -> None:
    bad = [m for m in _modules() if any(_within(n, ("django", "rest_framework", "celery"))
                                        for n in _imports(m))]
    assert not bad


def _fresh(code: str, *, django: bool = False) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "backend")])}
    if django:
        env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
        code = "import django; django.setup()\n" + code
    check = (
        "\nimport sys\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'torch'"
        f" or any(m == t or m.startswith(t + '.') for t in {TRAINING!r}))\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code + check], env=env, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr[-2000:]


def test_analysis_and_the_cli_load_no_torch_in_a_fresh_process() -> None:
    _fresh("import genrelens.predict.pipeline\n"
           "from genrelens.cli.main import build_parser\n"
           "build_parser('analyze')\n")


def test_celery_task_and_web_process_load_no_torch() -> None:
    _fresh("import analyses.tasks, config.urls, config.wsgi\n", django=True)
