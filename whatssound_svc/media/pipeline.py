"""The media work itself, synchronous (jobs run it in a thread): process an uploaded set, copy an
original to the R2 backup, check and restore backups. Nothing here touches the database."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whatssound_svc.media import objectstore
from whatssound_svc.media.analysis import analyze
from whatssound_svc.media.rendition import CACHE_CONTROL, CONTENT_TYPE, AacRendition
from whatssound_svc.media.settings import MediaSettings

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

AUDIO_BUCKET = "audio"
STREAMS_BUCKET = "audio-streams"
#: Progress callback: stage (downloading, analysing, uploading) and percent.
Progress = Callable[[str, int], None]


@dataclass
class Stores:
    """The two S3 endpoints, as clients."""

    storage: S3Client
    r2: S3Client | None = None

    @classmethod
    def from_settings(cls, settings: MediaSettings, *, backup: bool = False) -> Stores:
        return cls(
            storage=objectstore.client(settings.storage()),
            r2=objectstore.client(settings.r2()) if backup else None,
        )


def process_set(
    stores: Stores, settings: MediaSettings, path: str, dj_id: str, progress: Progress
) -> dict[str, Any]:
    """Fetch an uploaded set, measure it and encode its rendition in one decode, store the
    rendition under ``<dj id>/<its sha-256>.m4a``; returns what ``private.media_ready`` records.
    Raises :class:`~whatssound_svc.media.analysis.AudioRejected` for files that are not usable."""
    with tempfile.TemporaryDirectory(prefix="ws-media-", dir=settings.work_dir) as tmp:
        original, stream = Path(tmp) / "original", Path(tmp) / "stream.m4a"
        progress("downloading", 0)
        with original.open("wb") as f:
            source, _ = objectstore.download(stores.storage, AUDIO_BUCKET, path, f)
        progress("analysing", 0)
        with AacRendition(stream, settings.stream_bitrate_kbps) as rendition:
            report = analyze(
                original, max_seconds=settings.max_minutes * 60, sink=rendition,
                on_progress=lambda fraction: progress("analysing", int(fraction * 100)),
            )  # fmt: skip
        progress("uploading", 0)
        digest = objectstore.file_digest(stream)
        key = f"{dj_id}/{digest.sha256}.m4a"
        if not objectstore.matches(objectstore.stat(stores.storage, STREAMS_BUCKET, key), digest):
            objectstore.upload(stores.storage, STREAMS_BUCKET, key, stream, digest,
                               content_type=CONTENT_TYPE, cache_control=CACHE_CONTROL)  # fmt: skip
        progress("uploading", 100)
    return {
        "size_bytes": source.size, "original_sha256": source.sha256, "codec": report.codec,
        "sample_rate": report.sample_rate, "channels": report.channels, "duration_s": report.duration_s,
        "loudness_lufs": report.loudness_lufs, "true_peak_dbtp": report.true_peak_dbtp,
        "waveform": report.waveform, "stream_path": key, "stream_bitrate": rendition.bit_rate,
        "stream_bytes": digest.size,
    }  # fmt: skip


def backup_key(bucket: str, name: str) -> str:
    """Where an original's copy lives in the R2 bucket."""
    return f"{bucket}/{name}"


def copy_to_backup(stores: Stores, settings: MediaSettings, bucket: str, name: str) -> objectstore.Digest:
    """Copy an original from Storage to R2 (hashed on the way, verified after); returns its digest."""
    assert stores.r2 is not None
    with tempfile.NamedTemporaryFile(prefix="ws-backup-", dir=settings.work_dir) as f:
        digest, content_type = objectstore.download(stores.storage, bucket, name, f)
        objectstore.upload(stores.r2, settings.r2_bucket, backup_key(bucket, name), Path(f.name), digest,
                           content_type=content_type)  # fmt: skip
    return digest


def restore(
    stores: Stores, settings: MediaSettings, key: str, expected_sha256: str | None
) -> objectstore.Digest:
    """Bring ``<bucket>/<name>`` back from R2 into Storage, refusing a copy whose SHA-256 is not the
    one recorded at backup time."""
    assert stores.r2 is not None
    bucket, _, name = key.partition("/")
    with tempfile.NamedTemporaryFile(prefix="ws-restore-", dir=settings.work_dir) as f:
        digest, content_type = objectstore.download(stores.r2, settings.r2_bucket, key, f)
        if expected_sha256 and digest.sha256 != expected_sha256:
            raise objectstore.CopyMismatch(
                f"{key}: the backup's SHA-256 {digest.sha256[:12]}… is not the recorded"
                f" {expected_sha256[:12]}…"
            )
        objectstore.upload(stores.storage, bucket, name, Path(f.name), digest, content_type=content_type)
    return digest


def backup_digest(stores: Stores, settings: MediaSettings, key: str) -> objectstore.Digest:
    """Read a backup copy whole and hash it (``media verify --deep``)."""
    assert stores.r2 is not None
    with tempfile.TemporaryFile(prefix="ws-verify-", dir=settings.work_dir) as f:
        digest, _ = objectstore.download(stores.r2, settings.r2_bucket, key, f)
    return digest
