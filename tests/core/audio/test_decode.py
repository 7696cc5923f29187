from __future__ import annotations

import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from signals import SR, click_track, mp3_claiming, noise, write

from genrelens.audio.constants import TEST_HOOK_ENV
from genrelens.audio.decode import decode_file, decode_stream, load_audio
from genrelens.audio.probe import probe_file
from genrelens.errors import (
    AudioDecodeError,
    AudioTooLongError,
    AudioTooShortError,
    DecoderCrashedError,
    DecoderTimeoutError,
    EmptyFileError,
    InvalidAudioError,
    UnsupportedMediaError,
)


@pytest.fixture
def mp3(tmp_path: Path) -> Path:
    return write(tmp_path / "track.mp3", click_track(128, 12), format="MP3")


def test_mp3_decodes_to_mono_float32_at_analysis_rate(mp3: Path) -> None:
    y = load_audio(mp3)
    assert y.dtype == np.float32 and y.ndim == 1
    assert abs(len(y) / SR - 12.0) < 0.1
    assert np.isfinite(y).all()


@pytest.mark.parametrize("rate", [8000, 11025, 44100, 96000])
@pytest.mark.parametrize("channels", [1, 2, 6])
def test_any_rate_and_channel_count_gives_the_same_shape(tmp_path: Path, rate: int,
                                                        channels: int) -> None:
    t = np.arange(rate * 4) / rate
    y = np.tile((0.3 * np.sin(2 * np.pi * 330 * t))[:, None], (1, channels)).astype(np.float32)
    path = tmp_path / "x.wav"
    sf.write(path, y, rate)
    decoded = load_audio(path)
    assert abs(len(decoded) - 4 * SR) <= 2
    assert 0.25 < float(np.abs(decoded).max()) < 0.35


def test_the_cap_truncates_and_says_so(tmp_path: Path) -> None:
    path = write(tmp_path / "long.flac", noise(20), format="FLAC")
    with decode_file(path, max_seconds=5) as decoded:
        assert decoded.frames == 5 * SR
        assert decoded.truncated


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "track.mp3"
    path.write_bytes(b"")
    with pytest.raises(EmptyFileError):
        probe_file(path)


@pytest.mark.parametrize(
    "payload",
    [b"\x89PNG\r\n\x1a\n" + bytes(2000), b"PK\x03\x04" + bytes(2000), b"hello, world\n" * 100],
)
def test_non_audio_named_mp3_is_unsupported(tmp_path: Path, payload: bytes) -> None:
    path = tmp_path / "song.mp3"
    path.write_bytes(payload)
    with pytest.raises(UnsupportedMediaError, match="unsupported file type"):
        load_audio(path)


def test_random_bytes_named_mp3_fail_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "random.mp3"
    path.write_bytes(np.random.default_rng(0).integers(0, 256, 50_000, dtype=np.uint8).tobytes())
    with pytest.raises((UnsupportedMediaError, AudioDecodeError, AudioTooShortError)):
        load_audio(path)


def test_id3_header_followed_by_html_fails_to_decode(tmp_path: Path) -> None:
    path = tmp_path / "polyglot.mp3"
    path.write_bytes(b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"<html><script>x</script></html>" * 50)
    with pytest.raises((AudioDecodeError, AudioTooShortError)):
        load_audio(path)


def test_truncated_mp3_decodes_the_part_that_exists(mp3: Path, tmp_path: Path) -> None:
    half = tmp_path / "half.mp3"
    data = mp3.read_bytes()
    half.write_bytes(data[: len(data) // 2])
    with decode_file(half) as decoded:
        assert 4.5 < decoded.duration_s < 7.5
        assert decoded.info.declared_duration_s is not None
        assert decoded.info.declared_duration_s > 11.5  # the Xing header still says 12 s
        assert decoded.truncated


def test_a_whole_mp3_is_not_truncated(mp3: Path) -> None:
    with decode_file(mp3) as decoded:
        assert not decoded.truncated


def test_an_mp3_header_lying_about_its_length_gets_the_decoded_duration(mp3: Path) -> None:
    mp3.write_bytes(mp3_claiming(mp3.read_bytes(), seconds=14_040,
                                 sr=sf.info(str(mp3)).samplerate))
    assert probe_file(mp3).declared_duration_s == pytest.approx(14_040, abs=1)
    with decode_file(mp3) as decoded:
        assert abs(decoded.duration_s - 12.0) < 0.1
        assert decoded.truncated


def test_first_200_bytes_of_an_mp3(mp3: Path, tmp_path: Path) -> None:
    stub = tmp_path / "stub.mp3"
    stub.write_bytes(mp3.read_bytes()[:200])
    with pytest.raises((AudioDecodeError, AudioTooShortError)):
        load_audio(stub)


def test_too_short(tmp_path: Path) -> None:
    path = write(tmp_path / "short.wav", noise(1.0))
    with pytest.raises(AudioTooShortError, match="at least 3 s"):
        load_audio(path)


def _set_flac_total_samples(path: Path, total: int) -> None:
    data = bytearray(path.read_bytes())
    (packed,) = struct.unpack(">Q", data[18:26])
    packed = (packed & ~((1 << 36) - 1)) | total
    data[18:26] = struct.pack(">Q", packed)
    path.write_bytes(bytes(data))


def test_header_claiming_hours_is_refused_before_decoding(tmp_path: Path) -> None:
    path = write(tmp_path / "liar.flac", noise(5), format="FLAC")
    _set_flac_total_samples(path, SR * 5 * 3600)
    with pytest.raises(AudioTooLongError, match="5.0 h"):
        probe_file(path)


def test_flac_of_unknown_length_is_capped(tmp_path: Path) -> None:
    path = write(tmp_path / "unknown.flac", noise(8), format="FLAC")
    _set_flac_total_samples(path, 0)
    assert probe_file(path).declared_duration_s is None
    with decode_file(path, max_seconds=6) as decoded:
        assert decoded.frames == 6 * SR and decoded.truncated


def test_nan_samples_are_invalid_audio(tmp_path: Path) -> None:
    y = noise(5)
    y[1000] = np.nan
    path = write(tmp_path / "nan.wav", y, subtype="FLOAT")
    with pytest.raises(InvalidAudioError, match="NaN"):
        load_audio(path)


def test_silence_decodes(tmp_path: Path) -> None:
    path = write(tmp_path / "silence.wav", np.zeros(SR * 5, dtype=np.float32))
    with decode_file(path) as decoded:
        assert decoded.loudness.integrated_lufs is None
        assert float(np.abs(decoded.read(0, decoded.frames)).max()) == 0.0


def test_a_stalled_decoder_is_stopped(mp3: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TEST_HOOK_ENV, "sleep:30")
    with pytest.raises(DecoderTimeoutError, match="longer than 2 s"):
        load_audio_with_timeout(mp3, 2.0)


def load_audio_with_timeout(path: Path, timeout_s: float) -> None:
    with decode_file(path, timeout_s=timeout_s):
        pass


def test_samples_read_while_decoding_are_those_decoded(tmp_path: Path) -> None:
    path = write(tmp_path / "long.wav", click_track(128, 60) + noise(60, seed=2, gain=0.05))
    with decode_stream(path) as decoding:
        available, finished = decoding.wait_for(SR * 20)
        assert available >= SR * 20
        early = decoding.read(SR * 5, SR * 10)
        assert len(early) == SR * 10
        assert decoding.wait_for(SR * 120) == (SR * 60, True)
        decoded = decoding.result()
        np.testing.assert_array_equal(early, decoded.read(SR * 5, SR * 10))
        assert decoding.finished_at is not None and decoding.expected_samples == SR * 60


def test_a_failing_decoder_stops_a_reader_that_waits(mp3: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TEST_HOOK_ENV, "crash")
    with decode_stream(mp3) as decoding, pytest.raises(DecoderCrashedError):
        decoding.wait_for(SR * 5)
    monkeypatch.setenv(TEST_HOOK_ENV, "sleep:30")
    with decode_stream(mp3, timeout_s=1.0) as decoding, pytest.raises(DecoderTimeoutError):
        decoding.wait_for(SR * 5)


@pytest.mark.parametrize(("hook", "message"), [("crash", "crashed"), ("alloc", "out of memory")])
def test_a_dying_decoder_leaves_the_caller_alive(mp3: Path, monkeypatch: pytest.MonkeyPatch,
                                                 hook: str, message: str) -> None:
    monkeypatch.setenv(TEST_HOOK_ENV, hook)
    with pytest.raises(DecoderCrashedError, match=message):
        load_audio(mp3)


@pytest.mark.skipif(subprocess.run(["which", "ffmpeg"], capture_output=True).returncode != 0,
                    reason="ffmpeg is not installed")
def test_m4a_decodes_through_ffmpeg(tmp_path: Path) -> None:
    wav = write(tmp_path / "in.wav", click_track(120, 6))
    m4a = tmp_path / "out.m4a"
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(wav), "-c:a", "aac", str(m4a)], check=True)
    assert probe_file(m4a).format == "m4a"
    y = load_audio(m4a)
    assert abs(len(y) / SR - 6.0) < 0.2


def test_loudness_is_measured_on_the_channels_before_downmix(tmp_path: Path) -> None:
    import pyloudnorm

    rate = 44100
    y = click_track(128.0, 12, sr=rate)
    stereo = np.stack([y, 0.4 * y], axis=1)
    path = write(tmp_path / "stereo.wav", stereo, sr=rate)
    with decode_file(path) as decoded:
        measured = decoded.loudness.integrated_lufs
    assert measured == pytest.approx(pyloudnorm.Meter(rate).integrated_loudness(stereo), abs=0.3)


@pytest.mark.parametrize(("fmt", "subtype", "rate"),
                         [("OGG", "VORBIS", 44100), ("OGG", "OPUS", 48000), ("AIFF", "PCM_16", 44100),
                          ("FLAC", "PCM_16", 48000)])
def test_other_containers_decode(tmp_path: Path, fmt: str, subtype: str, rate: int) -> None:
    y = click_track(120.0, 5, sr=rate)
    path = tmp_path / f"x.{fmt.lower()}"
    sf.write(path, y, rate, format=fmt, subtype=subtype)
    assert abs(len(load_audio(path)) / SR - 5.0) < 0.1


def test_unsupported_codec_inside_a_known_container(tmp_path: Path) -> None:
    path = write(tmp_path / "odd.wav", noise(5))
    data = bytearray(path.read_bytes())
    assert data[20:22] == b"\x01\x00"  # WAVE_FORMAT_PCM
    data[20:22] = b"\x34\x12"  # a format tag no decoder knows
    path.write_bytes(bytes(data))
    with pytest.raises(AudioDecodeError, match="header cannot be read"):
        load_audio(path)
