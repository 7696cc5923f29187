"""The beat tracker returns on every onset envelope, adversarial ones included.

An envelope of clicks whose spacing shrinks (a click train accelerating towards a buzz) made the
tracker's re-fitted period collapse; the walk then stopped advancing and ``genrelens analyze``
ran forever. The alarm turns a hang into a failure instead of a stuck test run.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from genrelens.features.constants import FRAMES_PER_SECOND
from genrelens.features.rhythm import BPM_MAX, BPM_MIN, track_beats

_SECONDS_ALLOWED = 10


class _Hung(Exception):
    pass


@contextmanager
def _alarm(seconds: int) -> Iterator[None]:
    def hung(*_: object) -> None:
        raise _Hung(f"track_beats did not return within {seconds} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@st.composite
def _envelopes(draw: st.DrawFn) -> np.ndarray:
    n = draw(st.integers(int(4 * FRAMES_PER_SECOND) + 1, 1400))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    kind = draw(st.sampled_from(["accelerating", "random", "spikes", "sparse"]))
    envelope = np.zeros(n)
    if kind == "accelerating":
        spacing, ratio, steps = draw(st.floats(8, 45)), draw(st.floats(0.05, 1.0)), draw(st.integers(2, 30))
        position = 0.0
        while position < n - 1:
            envelope[int(position)] = rng.uniform(1, 30)
            position += max(spacing, 0.6)
            spacing *= ratio ** (1 / steps)
        envelope += rng.exponential(draw(st.floats(0, 1)), n)
    elif kind == "random":
        envelope = rng.exponential(draw(st.floats(0.5, 20)), n)
    elif kind == "spikes":
        where = rng.choice(n, draw(st.integers(1, 40)))
        envelope[where] = rng.uniform(1, 50, len(where))
    else:
        envelope = rng.exponential(1, n) * (rng.random(n) < draw(st.floats(0.01, 0.3))) * 30
    return envelope.astype(np.float32)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_envelopes(), st.booleans())
def test_track_beats_returns_a_sane_grid_on_any_envelope(envelope: np.ndarray, with_accent: bool) -> None:
    with _alarm(_SECONDS_ALLOWED):
        beats = track_beats(envelope, accent=envelope[::-1].copy() if with_accent else None)
    assert beats.bpm == 0.0 or BPM_MIN <= beats.bpm <= BPM_MAX
    assert np.all(np.diff(beats.times) > 0)
