"""Audio made in the tests with PyAV: sines, sweeps and silence, in any codec FFmpeg ships."""

from __future__ import annotations

import io

import av
import numpy as np

FORMATS = {"pcm_s16le": "wav", "libmp3lame": "mp3", "aac": "adts", "flac": "flac", "libopus": "ogg"}
_DTYPES = {
    "s16": (np.int16, 32767),
    "s32": (np.int32, 2147483647),
    "flt": (np.float32, 1),
    "dbl": (np.float64, 1),
}


def encode(samples: np.ndarray, codec: str = "pcm_s16le", rate: int = 48_000) -> bytes:
    """Encode ``samples`` (channels by n, floats in [-1, 1]) with ``codec``; returns the file's bytes."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format=FORMATS[codec]) as out:
        stream = out.add_stream(codec, rate=rate)
        stream.layout = "mono" if samples.shape[0] == 1 else "stereo"
        sample_format = stream.codec_context.format.name
        dtype, scale = _DTYPES[sample_format.rstrip("p")]
        size = stream.codec_context.frame_size or 1024
        for start in range(0, samples.shape[1], size):
            chunk = samples[:, start : start + size]
            planes = chunk if sample_format.endswith("p") else chunk.T.reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(
                (planes * scale).astype(dtype), format=sample_format, layout=stream.layout.name
            )
            frame.sample_rate = rate
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buffer.getvalue()


def sine(
    seconds: float, amplitude: float, channels: int = 2, freq: float = 997.0, rate: int = 48_000
) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return np.tile(amplitude * np.sin(2 * np.pi * freq * t), (channels, 1))


def sweep(seconds: float, amplitude: float, rate: int = 48_000) -> np.ndarray:
    """A logarithmic sweep 20 Hz → 20 kHz, stereo."""
    t = np.arange(int(seconds * rate)) / rate
    k = np.log(20_000 / 20)
    phase = 2 * np.pi * 20 * seconds / k * (np.exp(t * k / seconds) - 1)
    return np.tile(amplitude * np.sin(phase), (2, 1))
