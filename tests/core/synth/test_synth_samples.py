"""Tests of genrelens.synth.samples: discovery, kit split, GM sound-font notes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from genrelens.synth import render_clip, samples

SR = 22050


def test_discovery_of_an_empty_tree_gives_an_empty_library(tmp_path: Path) -> None:
    lib = samples.discover(tmp_path / "a", tmp_path / "b", tmp_path / "c")
    assert lib.kits == () and lib.loops == () and lib.kits_for("train", "any") == ()


@pytest.mark.skipif(not samples.HYDROGEN_DIR.is_dir() or not samples.SONIC_PI_DIR.is_dir(),
                    reason="sample packages not installed")
def test_installed_kits_are_split_and_one_shots_load() -> None:
    lib = samples.discover()
    train = {k.name for k in lib.kits_for("train", "any")}
    ood = {k.name for k in lib.kits_for("ood", "any")}
    assert train and ood and not train & ood
    assert ood <= samples.OOD_KITS
    kit = next(k for k in lib.kits if k.name == "sonic-pi-electronic")
    hit = samples.load_sample(kit.roles["kick"][0], SR)
    assert hit.size > 0 and np.all(np.isfinite(hit)) and np.isclose(np.max(np.abs(hit)), 1.0)
    amen = next(lp for lp in lib.loops if lp.name == "sonic-pi-loop_amen")
    assert amen.bars == 1


@pytest.mark.skipif(not samples.gm_available(), reason="fluidsynth or the GM sound font missing")
def test_gm_note_has_the_requested_pitch() -> None:
    note = samples.gm_note(0, 58, sr=SR)  # A#3, resampled from the rendered A3
    assert note.size > SR and np.all(np.isfinite(note))
    spectrum = np.abs(np.fft.rfft(note[: SR // 2] * np.hanning(SR // 2)))
    freqs = np.fft.rfftfreq(SR // 2, 1 / SR)
    band = (freqs > 150) & (freqs < 300)
    assert abs(freqs[band][np.argmax(spectrum[band])] - 233.1) < 6.0


@pytest.mark.skipif(not samples.gm_available(), reason="fluidsynth or the GM sound font missing")
def test_unwritable_gm_cache_falls_back_to_synthesis(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    samples._gm_program.cache_clear()
    try:
        assert samples.gm_note(0, 60, sr=SR).size == 0
        clip = render_clip("lo-fi-hip-hop", seed=1, seconds=3.0)
        assert clip.meta["chords_gm"] is False
        assert np.all(np.isfinite(clip.audio))
    finally:
        samples._gm_program.cache_clear()


def test_every_discovered_source_has_a_licence() -> None:
    lib = samples.discover()
    names = {k.name for k in lib.kits} | {lp.name for lp in lib.loops}
    assert names <= set(samples.SOURCE_LICENCES)


def test_licence_filter_keeps_only_the_listed_licences(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(samples.LICENCES_ENV, "CC0")
    samples.library.cache_clear()
    try:
        lib = samples.library()
        used = {k.name for k in lib.kits} | {lp.name for lp in lib.loops}
        assert all(samples.SOURCE_LICENCES[name] == "CC0" for name in used)
        assert not samples.gm_available()
        clip = render_clip("jungle", seed=2, seconds=3.0)
        sources = set(clip.meta["drum_sources"].values()) - {"synth"}
        assert all(samples.SOURCE_LICENCES[s] == "CC0" for s in sources)
    finally:
        monkeypatch.delenv(samples.LICENCES_ENV)
        samples.library.cache_clear()


def _sources_with(env: dict[str, str]) -> list[str]:
    """``sources_in_use()`` in a fresh interpreter (the library is discovered once per process)."""
    import json
    import os
    import subprocess
    import sys

    code = "import json; from genrelens.synth import samples; print(json.dumps(samples.sources_in_use()))"
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, **env},
                         capture_output=True, text=True, check=True)
    sources: list[str] = json.loads(out.stdout)
    return sources


def test_sources_in_use_follow_what_renders_may_use() -> None:
    """Render caches name these, so clips rendered without a package are never reused with it."""
    assert _sources_with({samples.NO_SAMPLES_ENV: "1"}) == []
    cc0 = _sources_with({samples.LICENCES_ENV: "CC0"})
    assert cc0 == sorted(cc0)
    assert all(samples.SOURCE_LICENCES.get(s) == "CC0" for s in cc0)
    assert "gm" not in cc0  # MIT
    everything = _sources_with({samples.LICENCES_ENV: ""})
    assert set(cc0) <= set(everything)
    assert ("gm" in everything) == samples.gm_available()
