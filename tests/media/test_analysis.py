"""Audio analysis on real audio made in the tests: probe, BS.1770 loudness, true peak, waveform,
and every kind of file a DJ should be told is unusable."""

from __future__ import annotations

import io

import numpy as np
import pytest

from tests.media.audio import encode, sine, sweep
from whatssound_svc.media.analysis import AudioRejected, analyze


@pytest.mark.parametrize(("codec", "name", "tolerance"), [
    ("pcm_s16le", "pcm_s16le", 0.05), ("flac", "flac", 0.05), ("libmp3lame", "mp3", 0.6),
    ("aac", "aac", 0.3), ("libopus", "opus", 0.3),
])  # fmt: skip
def test_a_sine_measures_as_bs1770_says_in_every_codec(codec: str, name: str, tolerance: float) -> None:
    report = analyze(io.BytesIO(encode(sine(10, 0.1), codec)))
    assert (report.codec, report.sample_rate, report.channels) == (name, 48_000, 2)
    assert report.duration_s == pytest.approx(10, abs=0.05)
    # BS.1770: a 997 Hz sine of amplitude A in both channels reads 20 log10(A) LUFS (-20 for 0.1).
    assert report.loudness_lufs == pytest.approx(-20.0, abs=tolerance)
    assert report.true_peak_dbtp == pytest.approx(-20.0, abs=1.5 if codec == "aac" else 0.6)


def test_mono_reads_3_db_below_the_same_signal_in_stereo() -> None:
    mono = analyze(io.BytesIO(encode(sine(5, 0.1, channels=1))))
    assert mono.channels == 1
    assert mono.loudness_lufs == pytest.approx(-23.01, abs=0.05)


def test_loudness_follows_level_and_gating_ignores_silence() -> None:
    quiet = analyze(io.BytesIO(encode(sine(6, 0.01))))
    assert quiet.loudness_lufs == pytest.approx(-40.0, abs=0.05), "20 dB lower"
    with_gap = np.concatenate([sine(5, 0.1), np.zeros((2, 48_000 * 5))], axis=1)
    # The silent half is gated out; the few blocks straddling the cut pass the relative gate.
    assert analyze(io.BytesIO(encode(with_gap))).loudness_lufs == pytest.approx(-20.0, abs=0.2)


def test_a_sweep_gets_the_k_weighting() -> None:
    report = analyze(io.BytesIO(encode(sweep(10, 0.5))))
    assert -11.0 < report.loudness_lufs < -3.0  # highs count more, lows less: not the sine's -6
    assert report.true_peak_dbtp == pytest.approx(-6.0, abs=0.5)


def test_the_waveform_follows_the_signal() -> None:
    ramp = np.concatenate([sine(5, 0.1), sine(5, 0.8)], axis=1)
    waveform = analyze(io.BytesIO(encode(ramp))).waveform
    assert len(waveform) == 100  # one point per 100 ms up to 1,000 points
    assert max(waveform[:45]) == pytest.approx(0.1, abs=0.01)
    assert min(waveform[55:]) == pytest.approx(0.8, abs=0.01)


@pytest.mark.parametrize(("make", "code"), [
    (lambda: encode(np.zeros((2, 48_000 * 3))), "silent"),
    (lambda: b"just some text, not audio at all\n" * 200, "not_audio"),
    (lambda: encode(sine(10, 0.1), "libmp3lame")[:12_000], "truncated"),
    (lambda: encode(sine(10, 0.1), "flac")[:2_000] + bytes(np.random.default_rng(7).integers(0, 256, 200_000, dtype=np.uint8)), "corrupt"),
    (lambda: encode(sine(0.2, 0.1)), "corrupt"),
])  # fmt: skip
def test_unusable_files_fail_with_a_clear_reason(make: object, code: str) -> None:
    with pytest.raises(AudioRejected) as rejected:
        analyze(io.BytesIO(make()))  # type: ignore[operator]
    assert rejected.value.code == code


def test_a_set_longer_than_allowed_is_refused_before_it_is_decoded() -> None:
    with pytest.raises(AudioRejected) as rejected:
        analyze(io.BytesIO(encode(sine(12, 0.1))), max_seconds=10)
    assert rejected.value.code == "too_long"
