"""The streaming rendition: AAC-LC in MP4 (.m4a), moov atom first, fed by the analysis pass.

AAC-LC plays everywhere the app runs (AVPlayer on iOS, ExoPlayer on Android, browsers); Opus
does not play in AVPlayer from an Ogg file. 128 kbit/s stereo (64 mono) at 48 kHz by default:
57.6 MB per listener-hour. ``+faststart`` puts the index first so playback starts before the
download ends (it needs a real file: the muxer rewrites it on close).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from types import TracebackType

import av

from whatssound_svc.media.analysis import RATE

CONTENT_TYPE = "audio/mp4"
#: Immutable, content-addressed keys: any cache may keep them for a year.
CACHE_CONTROL = "public, max-age=31536000, immutable"


class AacRendition:
    """A :class:`~whatssound_svc.media.analysis.FrameSink` encoding to ``path``."""

    def __init__(self, path: Path, stereo_kbps: int) -> None:
        self.path, self.stereo_kbps = path, stereo_kbps
        self.bit_rate = 0
        self._out: av.container.OutputContainer | None = None
        self._stream: av.audio.stream.AudioStream | None = None

    def start(self, channels: int) -> None:
        self._out = av.open(str(self.path), "w", format="mp4", options={"movflags": "+faststart"})
        self._stream = self._out.add_stream("aac", rate=RATE)
        self._stream.layout = "mono" if channels == 1 else "stereo"
        self.bit_rate = self.stereo_kbps * 1000 // (2 if channels == 1 else 1)
        self._stream.bit_rate = self.bit_rate

    def write(self, frame: av.AudioFrame) -> None:
        assert self._out is not None
        assert self._stream is not None
        frame.pts = None  # the encoder numbers its own
        for packet in self._stream.encode(frame):
            self._out.mux(packet)

    def finish(self) -> None:
        assert self._out is not None
        assert self._stream is not None
        for packet in self._stream.encode(None):
            self._out.mux(packet)
        self._out.close()
        self._out = None

    def __enter__(self) -> AacRendition:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._out is not None:  # stopped early (a rejected file): release the half-written file
            with contextlib.suppress(av.error.FFmpegError):
                self._out.close()
            self._out = None
