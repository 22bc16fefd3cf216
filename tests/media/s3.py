"""Two loopback S3 servers (moto in server mode): one stands in for Supabase Storage's S3 API, the
other for Cloudflare R2. The media code reaches them exactly as it would the real ones: through
its settings and one boto3 client per endpoint."""

from __future__ import annotations

import contextlib
import json
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import psycopg
from moto.server import ThreadedMotoServer
from pydantic import SecretStr

from tests.support.gotrue import AuthUser
from tests.support.postgrest import as_user
from whatssound_svc.media import objectstore
from whatssound_svc.media.settings import MediaSettings, S3Endpoint

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

STORAGE_BUCKETS = ("avatars", "covers", "audio", "audio-streams", "live-frames")
R2_BUCKET = "ws-originals"


@dataclass
class Stores:
    storage_url: str
    r2_url: str
    storage: S3Client
    r2: S3Client

    def settings(self, **overrides: object) -> MediaSettings:
        return MediaSettings(
            storage_s3_url=self.storage_url, storage_s3_region="us-east-1",
            storage_s3_access_key_id="storage-key", storage_s3_secret_access_key=SecretStr("storage-secret"),
            r2_url=self.r2_url, r2_region="auto", r2_access_key_id="r2-key",
            r2_secret_access_key=SecretStr("r2-secret"), r2_bucket=R2_BUCKET, **overrides,
        )  # fmt: skip

    def env(self, **overrides: str) -> dict[str, str]:
        """The same settings as environment variables (for a worker in another process)."""
        return {
            "WHATSSOUND_MEDIA_STORAGE_S3_URL": self.storage_url, "WHATSSOUND_MEDIA_STORAGE_S3_REGION": "us-east-1",
            "WHATSSOUND_MEDIA_STORAGE_S3_ACCESS_KEY_ID": "storage-key",
            "WHATSSOUND_MEDIA_STORAGE_S3_SECRET_ACCESS_KEY": "storage-secret",
            "WHATSSOUND_MEDIA_R2_URL": self.r2_url, "WHATSSOUND_MEDIA_R2_ACCESS_KEY_ID": "r2-key",
            "WHATSSOUND_MEDIA_R2_SECRET_ACCESS_KEY": "r2-secret", "WHATSSOUND_MEDIA_R2_BUCKET": R2_BUCKET,
        } | {f"WHATSSOUND_MEDIA_{k.upper()}": v for k, v in overrides.items()}  # fmt: skip

    def upload(self, db: psycopg.Connection, who: AuthUser, bucket: str, name: str, data: bytes,
               content_type: str = "audio/mpeg") -> str:  # fmt: skip
        """What Storage does for an upload: the bytes into its backend, then the object row as the
        uploader (which fires our triggers); returns the object id."""
        self.storage.put_object(Bucket=bucket, Key=name, Body=data, ContentType=content_type)
        with as_user(db, who) as conn:
            row = conn.execute(
                "insert into storage.objects (bucket_id, name, owner_id, version, metadata)"
                " values (%s, %s, %s, gen_random_uuid()::text, jsonb_build_object('size', %s::bigint, 'mimetype', %s::text))"
                " returning id::text",
                (bucket, name, str(who.id), len(data), content_type),
            ).fetchone()
        assert row is not None
        return str(row[0])


@contextlib.contextmanager
def server() -> Iterator[str]:
    """A moto S3 server for the session; its URL. (moto keeps one backend per process: the two
    stores are told apart by their buckets and credentials, as the code under test cannot tell.)"""
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    try:
        host, port = moto.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        moto.stop()


def make_public(storage: S3Client, bucket: str) -> None:
    """What a public Storage bucket is: anyone may GET its objects by URL (S3's bucket policy)."""
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
              "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}]}  # fmt: skip
    storage.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))


def fresh(url: str) -> Stores:
    """Empty both stores (moto's reset) and make their buckets."""
    urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST"), timeout=10).close()  # noqa: S310
    storage = objectstore.client(S3Endpoint(url=url, region="us-east-1", access_key_id="storage-key",
                                            secret_access_key=SecretStr("storage-secret")))  # fmt: skip
    r2 = objectstore.client(S3Endpoint(url=url, region="auto", access_key_id="r2-key",
                                       secret_access_key=SecretStr("r2-secret")))  # fmt: skip
    for bucket in STORAGE_BUCKETS:
        storage.create_bucket(Bucket=bucket)
    storage.create_bucket(Bucket=R2_BUCKET)  # made by the operator in Cloudflare; moto wants us-east-1
    return Stores(url, url, storage, r2)
