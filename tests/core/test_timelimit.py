from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import pytest

from genrelens.errors import AnalysisTimeoutError, InvalidParameterError
from genrelens.timelimit import time_limit


def test_a_stalled_loop_is_stopped_with_an_analysis_timeout() -> None:
    started = time.monotonic()
    with pytest.raises(AnalysisTimeoutError) as caught, time_limit(0.2):
        while True:
            pass
    assert 0.2 <= time.monotonic() - started < 2.0
    assert caught.value.code == "analysis_timeout"


def test_work_within_the_budget_is_untouched_and_the_timer_is_cleared() -> None:
    with time_limit(0.2):
        value = sum(range(1000))
    time.sleep(0.3)  # an alarm left armed would fire here
    assert value == 499500


def test_outside_the_main_thread_there_is_no_limit() -> None:
    finished: list[bool] = []

    def work() -> None:
        with time_limit(0.01):
            time.sleep(0.05)
        finished.append(True)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert finished == [True]


def test_the_limit_must_be_positive() -> None:
    with pytest.raises(InvalidParameterError), time_limit(0):
        pass


def test_an_import_running_when_time_is_up_finishes_first(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A budget that ran out inside an import used to leave the module half initialised, so the
    # next file failed with "ImportError: initialization failed".
    (tmp_path / "slow_to_import.py").write_text(
        "import time\nend = time.monotonic() + 0.4\nwhile time.monotonic() < end:\n    pass\n"
        "READY = True\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(AnalysisTimeoutError), time_limit(0.05):
        import slow_to_import  # noqa: F401 - the import is what is timed
        while True:
            pass
    assert sys.modules["slow_to_import"].READY is True  # imported once, whole, then stopped


class _SlowToCollect:
    """An object whose finaliser is running when the time runs out."""

    def __del__(self) -> None:
        end = time.monotonic() + 0.3
        while time.monotonic() < end:
            pass


def test_time_up_inside_a_finaliser_still_fails_the_block_and_prints_nothing(
        capsys: pytest.CaptureFixture[str]) -> None:
    # Python swallows an exception raised in __del__ and prints "Exception ignored"; the CLI
    # then printed a traceback and reported the file as analysed.
    with pytest.raises(AnalysisTimeoutError), time_limit(0.05):
        _SlowToCollect()  # collected at once: the alarm lands in __del__
    assert "Exception ignored" not in capsys.readouterr().err


def test_a_stall_after_a_swallowed_timeout_is_stopped_too() -> None:
    started = time.monotonic()
    with pytest.raises(AnalysisTimeoutError), time_limit(0.05):
        _SlowToCollect()
        while time.monotonic() - started < 5.0:  # bounded, so that a regression fails, not hangs
            pass
    assert time.monotonic() - started < 2.0
