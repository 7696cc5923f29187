"""The real-music evaluation on clips the tests make (no ../shared/realdev needed)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from signals import click_track, noise, write

from genrelens.cli.main import main
from genrelens.errors import DatasetError
from genrelens.realmusic.clips import read_clips
from genrelens.realmusic.evaluate import real_evaluate
from genrelens.realmusic.metrics import Answer, coverage_curve, folder_metrics
from genrelens.realmusic.tempo import cross_validated_tempo_rule, fit_tempo_rule

MANIFEST_HEAD = "file,label,family,source_set,group\n"


def put(path: Path, y: np.ndarray) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return write(path, y)


@pytest.fixture(scope="module")
def realdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two folders: click tracks labelled house/trance by tempo, and noise labelled not-electronic."""
    root = tmp_path_factory.mktemp("real")
    rows = []
    for i, (label, bpm) in enumerate([("house", 122.0), ("house", 124.0), ("trance", 138.0),
                                      ("trance", 140.0)]):
        put(root / "club" / label / f"c{i}.wav", click_track(bpm, 8, seed=i))
        rows.append(f"club/{label}/c{i}.wav,{label},{label},test,g{i}")
    put(root / "mixed" / "rock" / "n0.wav", noise(8, seed=3))
    rows.append("mixed/rock/n0.wav,rock,not-electronic,test,g9")
    (root / "manifest.csv").write_text(MANIFEST_HEAD + "\n".join(rows) + "\n", encoding="utf-8")
    return root


def test_clips_come_from_the_manifest_with_folder_and_group(realdir: Path) -> None:
    clips = read_clips(realdir)
    assert [c.folder for c in clips] == ["club"] * 4 + ["mixed"]
    assert [c.group for c in clips][:2] == ["g0", "g1"]
    assert clips[-1].family == "not-electronic" and not clips[-1].has_family
    assert len(read_clips(realdir, every=2)) == 3  # clips 0 and 2 of club, 0 of mixed


def test_folders_without_a_manifest_map_genres_to_families(tmp_path: Path) -> None:
    put(tmp_path / "set" / "psytrance" / "a.wav", noise(1))
    put(tmp_path / "set" / "house" / "b.wav", noise(1))
    clips = read_clips(tmp_path)
    assert sorted(c.family for c in clips) == ["house", "trance"]
    assert {c.folder for c in clips} == {"set"}


@pytest.mark.parametrize("layout", ["missing", "empty", "unknown-label"])
def test_bad_folders_are_refused(tmp_path: Path, layout: str) -> None:
    if layout == "unknown-label":
        put(tmp_path / "x" / "polka" / "a.wav", noise(1))
    root = tmp_path / "nope" if layout == "missing" else tmp_path
    with pytest.raises(DatasetError):
        read_clips(root)


def test_the_tempo_rule_finds_the_cuts_between_families() -> None:
    bpm = np.array([120, 122, 125, 130, 132, 139, 140, 145.0])
    fam = np.array(["house"] * 3 + ["techno"] * 2 + ["trance"] * 3, dtype=object)
    rule = fit_tempo_rule(bpm, fam)
    assert rule.families == ("house", "techno", "trance")
    assert rule.cuts == (127.5, 135.5)
    assert list(rule.predict(np.array([100.0, 131.0, 150.0]))) == ["house", "techno", "trance"]
    noisy = np.array(["house", "trance", "house", "techno", "techno", "trance", "house", "trance"],
                     dtype=object)
    assert (fit_tempo_rule(bpm, noisy).predict(bpm) == noisy).mean() < 1.0


def test_the_cross_validated_rule_never_sees_a_clips_own_group() -> None:
    # Two groups of one family each: held out, a group's family is absent from training.
    bpm = np.array([120.0, 121.0, 140.0, 141.0])
    fam = np.array(["house", "house", "trance", "trance"], dtype=object)
    groups = np.array(["a", "a", "b", "b"], dtype=object)
    guesses = cross_validated_tempo_rule(bpm, fam, groups)
    assert (guesses != fam).all()


def test_metrics_score_open_restricted_sure_and_gate() -> None:
    clips = read_clips_stub()
    answers = [
        Answer(families={"downtempo": 0.6, "house": 0.3, "trance": 0.1}, unsure=False, not_electronic=False),
        Answer(families={"trance": 0.7, "house": 0.3}, unsure=False, not_electronic=False),
        Answer(families={"house": 0.9}, unsure=False, not_electronic=False),
        Answer(families={"house": 0.9}, unsure=True, not_electronic=True),
    ]
    m = folder_metrics(clips, answers)
    assert m.top1_open == 0.5 and m.top1_restricted == 1.0
    assert m.unsure_rate == 0.25
    # Sure answers: the house clip (wrong, downtempo), the trance clip (right), the rock clip (wrong).
    assert (m.sure_answers, m.sure_accuracy) == (3, pytest.approx(1 / 3))
    assert m.not_electronic_flagged == 0.5 and m.not_electronic_unsure == 0.5


def test_the_coverage_curve_counts_what_each_limit_lets_through() -> None:
    clips = read_clips_stub()
    answers = [
        Answer(families={"house": 0.55, "trance": 0.45}, unsure=True, not_electronic=False),
        Answer(families={"trance": 0.8, "house": 0.2}, unsure=False, not_electronic=False),
        Answer(families={"house": 0.9}, unsure=False, not_electronic=False),  # rock, passes the gate
        Answer(families={"house": 0.9}, unsure=True, not_electronic=True),
    ]
    points = {p.limit: p for p in coverage_curve(clips, answers, (0.0, 0.6, 0.85, 0.95))}
    # Whatever its unsure flag, an answer counts once its top family reaches the limit; the
    # gated pop clip never does, the rock clip that passed the gate is a wrong answer.
    assert [(points[x].answered, points[x].right) for x in (0.0, 0.6, 0.85, 0.95)] == [
        (3, 2), (2, 1), (1, 0), (0, 0)]
    assert {p.clips for p in points.values()} == {4}


def read_clips_stub() -> list:  # type: ignore[type-arg]
    from genrelens.realmusic.clips import RealClip

    spec = [("house", "house"), ("trance", "trance"), ("rock", "not-electronic"), ("pop", "not-electronic")]
    return [RealClip(path=Path(f"{i}.wav"), label=label, family=family, folder="f", group=str(i))
            for i, (label, family) in enumerate(spec)]


def test_evaluate_real_caches_each_clip_and_reports_every_folder(
    realdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = real_evaluate(realdir, cache_root=tmp_path / "cache")
    entries = list((tmp_path / "cache").glob("*-v2/*.json"))
    assert len(entries) == 5
    record = json.loads(entries[0].read_text())
    assert set(record["tags"]) == {"msd", "mtt"} and len(record["tags"]["msd"]) == 50
    assert len(record["embeddings"]["mtt"]) == 200
    assert set(report.folders) == {"club", "mixed"}
    club = report.folders["club"]
    assert club.families == ("house", "trance") and club.majority == 0.5
    assert club.tempo_rule is not None
    assert report.folders["mixed"].systems["shipped"].not_electronic_unsure is not None
    assert [p.clips for p in report.curve["shipped"]][0] == 5

    import genrelens.realmusic.evaluate as module

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a cached clip was analysed again")

    monkeypatch.setattr(module, "clip_record", refuse)
    assert real_evaluate(realdir, cache_root=tmp_path / "cache") == report


def test_cli_prints_json_and_refuses_a_missing_folder(
    realdir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert main(["evaluate", "--real", str(realdir), "--every", "2", "--json", "-"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["folders"]["club"]["systems"]["shipped"]["clips"] == 2
    assert main(["evaluate", "--real", str(tmp_path / "absent")]) == 2
    assert "no real-music folder" in capsys.readouterr().err


def test_a_cached_answer_follows_the_current_gate_threshold() -> None:
    from genrelens.realmusic.evaluate import ClipRecord, answer_from_record

    record = ClipRecord(families={"house": 1.0}, genres={"deep-house": 1.0}, unsure=True,
                        reasons=["not_electronic"], tempo_bpm=None, electronic_probability=0.4)
    assert not answer_from_record(record, gate_threshold=0.3).unsure
    strict = answer_from_record(record, gate_threshold=0.5)
    assert strict.unsure and strict.not_electronic
