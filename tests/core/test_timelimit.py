from __future__ import annotations

import threading
import time

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
