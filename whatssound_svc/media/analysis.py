"""Probe and measure an audio file in one streaming pass (PyAV decodes; FFmpeg ships in its wheels).

What comes out: codec, sample rate, channels, duration, integrated loudness (ITU-R BS.1770-4:
K-weighting, 400 ms blocks every 100 ms, absolute gate -70 LUFS, relative gate -10 LU), true
peak (4x oversampled, dBTP) and a waveform of peaks for the player. Audio is decoded frame by
frame and resampled to 48 kHz float; only per-100 ms figures are kept, so memory stays flat
however long the set (a 60-minute file holds 36,000 numbers per channel).

Files that cannot be a DJ's audio fail with an :class:`AudioRejected` whose ``code`` the
uploader sees: ``not_audio``, ``corrupt``, ``truncated``, ``silent``, ``too_long``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import av
import numpy as np
from scipy import signal

RATE = 48_000
HOP = RATE // 10  # 100 ms
#: BS.1770-4 K-weighting at 48 kHz: a high shelf (head effects), then a high pass (RLB).
SHELF = (np.array([1.53512485958697, -2.69169618940638, 1.19839281085285]),
         np.array([1.0, -1.69065929318241, 0.73248077421585]))  # fmt: skip
HIGH_PASS = (np.array([1.0, -2.0, 1.0]), np.array([1.0, -1.99004745483398, 0.99007225036621]))
ABSOLUTE_GATE = -70.0
WAVEFORM_POINTS = 1000


class FrameSink(Protocol):
    """Receives the decoded audio too (e.g. an encoder), in the same single pass."""

    def start(self, channels: int) -> None: ...
    def write(self, frame: av.AudioFrame) -> None: ...
    def finish(self) -> None: ...


class AudioRejected(Exception):
    """The file is not usable audio; ``code`` is shown to the uploader."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class AudioReport:
    """What the player and the library need to know about a file."""

    codec: str
    sample_rate: int
    channels: int
    duration_s: float
    loudness_lufs: float
    true_peak_dbtp: float
    waveform: list[float] = field(repr=False)


class _Meter:
    """Streaming K-weighted power per 100 ms hop, sample peaks, and 4x-oversampled peaks."""

    def __init__(self, channels: int) -> None:
        self.channels = channels
        self.state = [
            [signal.lfilter_zi(*SHELF) * 0.0, signal.lfilter_zi(*HIGH_PASS) * 0.0] for _ in range(channels)
        ]
        self.pending = np.zeros((2 * channels, 0), dtype=np.float64)  # K-weighted rows, then raw rows
        self.hop_power: list[np.ndarray] = []  # per hop: mean square per channel
        self.hop_peak: list[float] = []
        self.true_peak = 0.0
        self.tail = np.zeros((channels, 0), dtype=np.float64)
        self.samples = 0

    def _true_peak(self, block: np.ndarray | None) -> None:
        """4x-oversampled peak, measured with 16 samples of context on each side of every block."""
        context = self.tail if block is None else np.concatenate([self.tail, block], axis=1)
        if context.shape[1] < 8:
            return
        up = signal.resample_poly(context, 4, 1, axis=1)
        start = 4 * min(16, self.tail.shape[1] // 2)
        stop = up.shape[1] if block is None else max(up.shape[1] - 4 * 16, start)
        if stop > start:
            self.true_peak = max(self.true_peak, float(np.abs(up[:, start:stop]).max()))
        self.tail = context[:, -32:]

    def feed(self, block: np.ndarray) -> None:
        self.samples += block.shape[1]
        weighted = np.empty_like(block)
        for c in range(self.channels):
            shelf, self.state[c][0] = signal.lfilter(*SHELF, block[c], zi=self.state[c][0])
            weighted[c], self.state[c][1] = signal.lfilter(*HIGH_PASS, shelf, zi=self.state[c][1])
        self._true_peak(block)
        self.pending = np.concatenate([self.pending, np.vstack([weighted, block])], axis=1)
        while self.pending.shape[1] >= HOP:
            hop, self.pending = self.pending[:, :HOP], self.pending[:, HOP:]
            self.hop_power.append(np.mean(hop[: self.channels] ** 2, axis=1))
            self.hop_peak.append(float(np.abs(hop[self.channels :]).max()))

    def finish(self) -> None:
        self._true_peak(None)

    def loudness(self) -> float:
        """Integrated loudness (LUFS); -inf when nothing passes the absolute gate."""
        hops = np.array(self.hop_power)
        if len(hops) < 4:
            return -math.inf
        blocks = np.array([hops[i : i + 4].mean(axis=0).sum() for i in range(len(hops) - 3)])
        with np.errstate(divide="ignore"):
            levels = -0.691 + 10 * np.log10(blocks)
        gated = blocks[levels > ABSOLUTE_GATE]
        if gated.size == 0:
            return -math.inf
        relative = -0.691 + 10 * math.log10(gated.mean()) - 10
        final = blocks[(levels > ABSOLUTE_GATE) & (levels > relative)]
        return -0.691 + 10 * math.log10(final.mean())

    def waveform(self) -> list[float]:
        peaks = np.array(self.hop_peak or [0.0])
        buckets = np.array_split(peaks, min(WAVEFORM_POINTS, len(peaks)))
        return [round(float(b.max()), 4) for b in buckets]


def _claimed_seconds(container: Any, stream: Any) -> float | None:
    """The duration the file announces (stream header, else container), if any."""
    if stream.duration and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    return container.duration / 1_000_000 if container.duration else None


def _progress(on_progress: Any, claimed: float | None) -> Any:
    """A callback taking decoded seconds that reports whole percents of ``claimed`` as they pass."""
    if on_progress is None or not claimed:
        return lambda _seconds: None
    last = [-1]

    def report(seconds: float) -> None:
        percent = min(int(100 * seconds / claimed), 100)
        if percent > last[0]:
            last[0] = percent
            on_progress(percent / 100)

    return report


def _decode(
    container: Any, stream: Any, meter: _Meter, max_seconds: float, *, sink: FrameSink | None,
    progress: Any,
) -> None:  # fmt: skip
    """Feed every frame, resampled to 48 kHz float, to the meter (and the sink); corrupt data and
    overlong sets stop it."""
    resampler = av.AudioResampler(
        format="fltp", layout="mono" if meter.channels == 1 else "stereo", rate=RATE
    )

    def feed(frames: list[av.AudioFrame]) -> None:
        for out in frames:
            meter.feed(out.to_ndarray().astype(np.float64))
            if sink is not None:
                sink.write(out)

    try:
        for frame in container.decode(stream):
            feed(resampler.resample(frame))
            if meter.samples > max_seconds * RATE:
                raise AudioRejected("too_long", f"longer than {max_seconds / 60:.0f} minutes")
            progress(meter.samples / RATE)
        feed(resampler.resample(None))
        meter.finish()
        if sink is not None:
            sink.finish()
    except av.error.FFmpegError as exc:
        raise AudioRejected("corrupt", f"the audio stops decoding: {exc}") from None


def analyze(
    source: str | Path | Any, *, max_seconds: float = 4 * 3600, sink: FrameSink | None = None,
    on_progress: Any = None,
) -> AudioReport:  # fmt: skip
    """Probe and measure ``source`` (a path or a binary file object) in one pass; ``sink`` gets
    every resampled frame too; ``on_progress(fraction)`` is called as decoding advances (when the
    file announces its duration; at most every 1 %)."""
    try:
        container = av.open(source, mode="r")
    except (av.error.InvalidDataError, av.error.FileNotFoundError, ValueError, av.error.FFmpegError) as exc:
        raise AudioRejected("not_audio", f"not a media file we can read: {exc}") from None
    with container:
        if not container.streams.audio:
            raise AudioRejected("not_audio", "the file has no audio stream")
        stream = container.streams.audio[0]
        context = stream.codec_context
        claimed = _claimed_seconds(container, stream)
        if claimed is not None and claimed > max_seconds:
            raise AudioRejected(
                "too_long", f"{claimed / 60:.0f} minutes is longer than {max_seconds / 60:.0f}"
            )
        meter = _Meter(1 if context.channels == 1 else 2)
        if sink is not None:
            sink.start(meter.channels)
        _decode(container, stream, meter, max_seconds, sink=sink, progress=_progress(on_progress, claimed))
    duration = meter.samples / RATE
    if duration < 0.5:
        raise AudioRejected("corrupt", "less than half a second of audio decodes")
    if claimed is not None and duration < 0.9 * claimed - 1:
        raise AudioRejected("truncated", f"{duration:.0f} s decode of the {claimed:.0f} s the file announces")
    loudness = meter.loudness()
    if loudness == -math.inf:
        raise AudioRejected("silent", "the file is silent (below -70 LUFS throughout)")
    peak = 20 * math.log10(meter.true_peak) if meter.true_peak > 0 else -math.inf
    return AudioReport(
        codec=context.codec.canonical_name, sample_rate=context.sample_rate, channels=context.channels,
        duration_s=round(duration, 3), loudness_lufs=round(loudness, 2), true_peak_dbtp=round(peak, 2),
        waveform=meter.waveform(),
    )  # fmt: skip
