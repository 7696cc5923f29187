from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from signals import click_track, write


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "genrelens", *args], capture_output=True,
                          text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("cli") / "good.wav", click_track(128.0, 10))


def test_valid_file_prints_json_and_exits_0(good: Path) -> None:
    done = _run("analyze", "--json", str(good))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["tempo"]["bpm"] == pytest.approx(128.0, abs=0.1)


def test_readable_summary(good: Path) -> None:
    done = _run("analyze", str(good))
    assert done.returncode == 0
    assert "128.0 BPM" in done.stdout and "A minor (8A)" in done.stdout


def test_bad_file_exits_2_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mp3"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(3000))
    done = _run("analyze", str(bad))
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "genrelens: bad.mp3: unsupported file type (a PNG image) [unsupported_media_type]")
    assert "Traceback" not in done.stderr


def test_one_bad_file_does_not_stop_the_others(good: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.mp3"
    empty.write_bytes(b"")
    done = _run("analyze", "--json", str(empty), str(good))
    assert done.returncode == 3
    assert len(done.stdout.strip().splitlines()) == 1
    assert "[empty_file]" in done.stderr


def test_a_file_over_its_time_budget_is_one_line_and_the_batch_goes_on(good: Path) -> None:
    done = _run("analyze", "--time-limit", "0.05", str(good), str(good))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert lines == ["genrelens: good.wav: analysis took longer than 0.05 s and was stopped "
                     "[analysis_timeout]"] * 2


def test_time_limit_must_be_positive(good: Path) -> None:
    done = _run("analyze", "--time-limit", "0", str(good))
    assert done.returncode == 2
    assert "must be a positive number of seconds" in done.stderr


def test_files_analysed_at_once_print_in_the_order_given(good: Path, tmp_path: Path) -> None:
    slower = write(tmp_path / "slower.wav", click_track(140.0, 20))
    empty = tmp_path / "empty.mp3"
    empty.write_bytes(b"")
    done = _run("analyze", "--json", "--jobs", "2", str(slower), str(empty), str(good))
    assert done.returncode == 3, done.stderr
    names = [json.loads(line)["source"]["name"] for line in done.stdout.strip().splitlines()]
    assert names == ["slower.wav", "good.wav"]
    assert done.stderr.strip() == "genrelens: empty.mp3: the file is empty [empty_file]"


def test_jobs_must_be_a_positive_count(good: Path) -> None:
    done = _run("analyze", "--jobs", "0", str(good))
    assert done.returncode == 2
    assert "--jobs/-j: must be a whole number of at least 1, got '0'" in done.stderr


def test_analysing_commands_run_their_libraries_on_one_thread(good: Path) -> None:
    """An analysis keeps two cores busy itself; library pools beside it only spin."""
    from genrelens.runtime import THREAD_ENV

    env = {k: v for k, v in os.environ.items() if k not in THREAD_ENV}
    probe = ("import sys; from genrelens.cli.main import main; main(['analyze', sys.argv[1]]); "
             "import threadpoolctl, genrelens.runtime as r; "
             "print(max(i['num_threads'] for i in threadpoolctl.threadpool_info()), "
             "r.inference_threads())")
    done = subprocess.run([sys.executable, "-c", probe, str(good)], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-2:] == ["1", "1"]
