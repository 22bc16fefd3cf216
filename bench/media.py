"""Audio processing speed and memory: a 60-minute DJ set (MP3, 320 kbps, stereo) and a 10-minute
FLAC go through the processing job's local work in a fresh process each: analysis alone (decode,
48 kHz resample, loudness, true peak, waveform), then analysis with the AAC rendition encoded in
the same pass (what the job does between download and upload). The baseline in the same run is
decoding alone, so the ratios are our own cost. Peak memory is the child process's maximum
resident set: it must not grow with length."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import av

from bench import report
from whatssound_svc.local.cluster import LocalCluster

TITLE = "Media: audio processing per minute of audio, and memory on a 60-minute set"

_MAKE = """
import sys, av, numpy as np
path, codec, minutes = sys.argv[1], sys.argv[2], float(sys.argv[3])
fmt = {"libmp3lame": "mp3", "flac": "flac"}[codec]
rng = np.random.default_rng(1)
with av.open(path, "w", format=fmt) as out:
    s = out.add_stream(codec, rate=44100)
    s.layout = "stereo"
    if codec == "libmp3lame":
        s.bit_rate = 320_000
    sf = s.codec_context.format.name
    n = s.codec_context.frame_size or 4096
    t0 = 0
    total = int(minutes * 60 * 44100)
    while t0 < total:
        t = (np.arange(t0, min(t0 + n, total)) / 44100.0)
        x = 0.3 * np.sin(2 * np.pi * (110 + 40 * np.sin(t / 7)) * t) + 0.05 * rng.standard_normal(t.size)
        planes = np.vstack([x, x * 0.8])
        arr = planes if sf.endswith("p") else planes.T.reshape(1, -1)
        scale, dtype = {"s16": (32767, np.int16), "s32": (2147483647, np.int32), "flt": (1, np.float32)}[sf.rstrip("p")]
        frame = av.AudioFrame.from_ndarray((arr * scale).astype(dtype), format=sf, layout="stereo")
        frame.sample_rate = 44100
        for p in s.encode(frame):
            out.mux(p)
        t0 += n
    for p in s.encode(None):
        out.mux(p)
"""

_MEASURE = """
import json, resource, sys, time
path, mode = sys.argv[1], sys.argv[2]
started = time.perf_counter()
if mode == "decode":
    import av
    with av.open(path) as c:
        for _ in c.decode(c.streams.audio[0]):
            pass
    result = {}
elif mode == "analyze":
    from whatssound_svc.media.analysis import analyze
    r = analyze(path)
    result = {"duration_s": r.duration_s, "loudness_lufs": r.loudness_lufs, "true_peak_dbtp": r.true_peak_dbtp}
else:
    import os
    from whatssound_svc.media.analysis import analyze
    from whatssound_svc.media.rendition import AacRendition
    stream = path + ".m4a"
    with AacRendition(__import__("pathlib").Path(stream), 128) as sink:
        r = analyze(path, sink=sink)
    result = {"rendition_mib": os.path.getsize(stream) / 2**20}
result["seconds"] = time.perf_counter() - started
result["max_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(result))
"""


def _child(code: str, *args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1]) if out.stdout.strip() else {}


def run(cluster: LocalCluster) -> None:
    """`make bench` entry (needs no database): make the files, measure, write the section."""
    rows: list[str] = []
    raw: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as folder:
        for codec, minutes in (("flac", 10.0), ("libmp3lame", 60.0)):
            path = str(Path(folder) / f"set.{codec}")
            subprocess.run([sys.executable, "-c", _MAKE, path, codec, str(minutes)], check=True)
            size_mib = Path(path).stat().st_size / 2**20
            decode = _child(_MEASURE, path, "decode")
            analysis = _child(_MEASURE, path, "analyze")
            process = _child(_MEASURE, path, "process")
            rows.append(
                f"| {codec} | {minutes:.0f} min, {size_mib:.0f} MiB | {decode['seconds']:.1f} s "
                f"| {analysis['seconds']:.1f} s ({analysis['seconds'] / minutes:.2f} s/min, x{analysis['seconds'] / decode['seconds']:.0f}) "
                f"| {process['seconds']:.1f} s ({process['seconds'] / minutes:.2f} s/min, x{process['seconds'] / decode['seconds']:.0f}) "
                f"| {process['rendition_mib']:.1f} MiB "
                f"| {decode['max_rss_mib']:.0f} / {analysis['max_rss_mib']:.0f} / {process['max_rss_mib']:.0f} MiB "
                f"| {analysis['loudness_lufs']} LUFS, {analysis['true_peak_dbtp']} dBTP |"
            )
            raw[codec] = {
                "minutes": minutes,
                "size_mib": size_mib,
                "decode": decode,
                "analysis": analysis,
                "process": process,
            }
    body = "\n".join([
        f"## {TITLE}",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d}, {os.cpu_count()} cores, {platform.machine()}, PyAV {av.__version__}; "
        "one fresh Python process per measurement (no database involved).",
        "",
        "| File | Length, size | Decode only (baseline) | Analysis (per minute, x baseline) | Analysis + AAC 128k rendition | Rendition size | Peak RSS: decode / analysis / both | Result |",
        "|---|---|---:|---:|---:|---:|---:|---|",
        *rows,
        "",
        "Memory stays flat with length (it is the interpreter, NumPy/SciPy, the decoder's and encoder's "
        "buffers): processing streams. Downloading the original and uploading the rendition are not in these "
        "figures (network-bound; both stream through a temporary file).",
        "",
    ])  # fmt: skip
    report.write_section("media", body, raw)
