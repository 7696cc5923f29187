"""The decoder child kept between files: reused while healthy, replaced after any failure."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from signals import SR, click_track, write

from genrelens.audio import decoder
from genrelens.audio.constants import TEST_HOOK_ENV
from genrelens.audio.decode import decode_file, load_audio
from genrelens.errors import DecoderCrashedError, DecoderTimeoutError, InvalidAudioError


@pytest.fixture
def wav(tmp_path: Path) -> Path:
    return write(tmp_path / "a.wav", click_track(128, 6))


def _kept_pid() -> int | None:
    kept = decoder._kept
    return None if kept is None else kept.process.pid


def test_one_child_decodes_file_after_file(wav: Path) -> None:
    first = load_audio(wav)
    pid = _kept_pid()
    assert pid is not None
    np.testing.assert_array_equal(load_audio(wav), first)
    assert _kept_pid() == pid


def test_a_refused_file_keeps_the_child(wav: Path, tmp_path: Path) -> None:
    load_audio(wav)
    pid = _kept_pid()
    y = click_track(128, 6)
    y[1000] = np.nan
    with pytest.raises(InvalidAudioError, match="NaN"):  # refused by the child itself
        load_audio(write(tmp_path / "nan.wav", y, subtype="FLOAT"))
    load_audio(wav)
    assert _kept_pid() == pid


@pytest.mark.parametrize(("hook", "error"), [("crash", DecoderCrashedError),
                                             ("sleep:30", DecoderTimeoutError)])
def test_after_a_crash_or_a_stall_the_next_file_gets_a_fresh_child(
        wav: Path, monkeypatch: pytest.MonkeyPatch, hook: str, error: type[Exception]) -> None:
    load_audio(wav)
    pid = _kept_pid()
    monkeypatch.setenv(TEST_HOOK_ENV, hook)
    with pytest.raises(error), decode_file(wav, timeout_s=1.0):
        pass
    assert _kept_pid() is None
    monkeypatch.delenv(TEST_HOOK_ENV)
    assert len(load_audio(wav)) == pytest.approx(6 * SR, abs=SR // 10)
    assert _kept_pid() not in (None, pid)


def test_a_worn_out_child_is_replaced(wav: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    decoder.close_kept()
    monkeypatch.setattr(decoder, "MAX_FILES_PER_CHILD", 2)
    load_audio(wav)  # a fresh child's first file
    pid = _kept_pid()
    load_audio(wav)  # its second file: done, then it is worn out
    assert _kept_pid() is None
    load_audio(wav)
    assert _kept_pid() not in (None, pid)


def test_a_reader_that_stops_early_kills_the_child_it_used(wav: Path) -> None:
    load_audio(wav)
    long = write(wav.with_name("long.wav"), click_track(128, 120))
    with decode_file(long):
        pass  # answered: kept
    kept = decoder._kept
    assert kept is not None
    from genrelens.audio.decode import decode_stream

    with decode_stream(long) as decoding:
        decoding.wait_for(SR)  # leave while it still decodes
    assert kept.process.poll() is not None and _kept_pid() is None
