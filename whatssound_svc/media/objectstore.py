"""One S3 client for Supabase Storage's S3 API and for Cloudflare R2, and integrity-checked copies.

Neither store can be trusted to check what it received (Storage drops checksum headers; R2 checks
a SHA-256 only when given one), so every copy is hashed here while it streams, the SHA-256 goes
with the object (``x-amz-meta-sha256``, and ``ChecksumSHA256`` which R2 verifies), and a HEAD
after the upload confirms size and hash before anyone records it as done.

boto3 ≥ 1.36 adds CRC32 trailers R2 refuses; checksums are sent only when asked for.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from whatssound_svc.media.settings import S3Endpoint

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

CHUNK = 1 << 20


class CopyMismatch(RuntimeError):
    """What landed is not what was sent (size or SHA-256)."""


@dataclass(frozen=True)
class Digest:
    """A stream's SHA-256 (hex) and length."""

    sha256: str
    size: int

    @property
    def b64(self) -> str:
        """The SHA-256 as S3's ChecksumSHA256 wants it."""
        return base64.b64encode(bytes.fromhex(self.sha256)).decode()


def client(endpoint: S3Endpoint) -> S3Client:
    """A client for ``endpoint``: path-style (Storage requires it), checksums only when required."""
    config = Config(
        s3={"addressing_style": "path"},
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        retries={"mode": "standard", "max_attempts": 4},
        connect_timeout=10,
        read_timeout=60,
    )
    return boto3.client(
        "s3", endpoint_url=endpoint.url, region_name=endpoint.region, config=config,
        aws_access_key_id=endpoint.access_key_id,
        aws_secret_access_key=endpoint.secret_access_key.get_secret_value(),
    )  # fmt: skip


def download(s3: S3Client, bucket: str, key: str, dest: IO[bytes]) -> tuple[Digest, str]:
    """Stream an object into ``dest``, hashing as it goes; returns its digest and content type."""
    response = s3.get_object(Bucket=bucket, Key=key)
    sha, size = hashlib.sha256(), 0
    for chunk in response["Body"].iter_chunks(CHUNK):
        sha.update(chunk)
        size += len(chunk)
        dest.write(chunk)
    dest.flush()
    if size != response["ContentLength"]:
        raise CopyMismatch(f"{bucket}/{key}: read {size} of {response['ContentLength']} bytes")
    return Digest(sha.hexdigest(), size), response.get("ContentType") or "application/octet-stream"


def file_digest(path: Path) -> Digest:
    """SHA-256 and size of a local file."""
    sha, size = hashlib.sha256(), 0
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            sha.update(chunk)
            size += len(chunk)
    return Digest(sha.hexdigest(), size)


def stat(s3: S3Client, bucket: str, key: str) -> dict[str, Any] | None:
    """The object's HEAD (ContentLength, Metadata, ...), or None if there is none."""
    try:
        return dict(s3.head_object(Bucket=bucket, Key=key))
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
            return None
        raise


def matches(head: dict[str, Any] | None, digest: Digest) -> bool:
    """Whether a HEAD shows the object ``digest`` describes."""
    return (
        head is not None and head["ContentLength"] == digest.size
        and head.get("Metadata", {}).get("sha256") == digest.sha256
    )  # fmt: skip


def upload(
    s3: S3Client, bucket: str, key: str, path: Path, digest: Digest, *, content_type: str,
    cache_control: str | None = None,
) -> None:  # fmt: skip
    """Put a local file (single PUT: Storage and R2 take up to 5 GB) and check what landed."""
    extra: dict[str, Any] = {"CacheControl": cache_control} if cache_control else {}
    with path.open("rb") as body:
        s3.put_object(
            Bucket=bucket, Key=key, Body=body, ContentLength=digest.size, ContentType=content_type,
            ChecksumSHA256=digest.b64, Metadata={"sha256": digest.sha256}, **extra,
        )  # fmt: skip
    if not matches(stat(s3, bucket, key), digest):
        raise CopyMismatch(f"{bucket}/{key}: the stored object's size or SHA-256 differs from what was sent")


def keys(s3: S3Client, bucket: str, prefix: str = "") -> dict[str, int]:
    """Every key under ``prefix`` with its size."""
    found: dict[str, int] = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        found.update({o["Key"]: o["Size"] for o in page.get("Contents", [])})
    return found
