"""What `make dev` adds around the service so the local backend works end to end (development only).

* Webhook secrets generated once per local stack (``dev-secrets.json`` beside its PostgreSQL, under
  ``.local/``), so signed test events are accepted; each carries
  :data:`~whatssound_svc.settings.LOCAL_SECRET_MARKER`, which production settings refuse.
* A local S3-compatible endpoint (moto in server mode) standing in for both Supabase Storage's
  S3 API and R2, with the buckets the media settings expect. Its objects live in memory: a
  restart empties it (the database keeps its rows; ``whatssound media verify`` lists the copies
  gone as missing).

Nothing here is imported by the production service (``whatssound serve``).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import socket
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from whatssound_svc import paths
from whatssound_svc.errors import WhatsSoundError
from whatssound_svc.media import objectstore
from whatssound_svc.media.settings import MediaSettings, S3Endpoint
from whatssound_svc.settings import LOCAL_SECRET_MARKER, LocalPgSettings

logger = logging.getLogger(__name__)

#: Storage's buckets (sql/media) and the R2 backup bucket's default name.
STORAGE_BUCKETS = ("avatars", "covers", "audio", "audio-streams")
S3_ACCESS_KEY_ID = "whatssound-local"
S3_REGION = "us-east-1"


class DevStackError(WhatsSoundError):
    """The local stack's extras could not start."""


class DevSettings(BaseSettings):
    """The local stack's extras (env prefix ``WHATSSOUND_DEV_``)."""

    model_config = SettingsConfigDict(
        env_prefix="WHATSSOUND_DEV_", env_file=".env", env_ignore_empty=True, extra="ignore"
    )

    s3_port: int = Field(default=54341, ge=1, le=65535, description="Port of the local S3 endpoint.")
    demo_heartbeat_s: float = Field(
        default=30.0, gt=0, le=60, description="How often the demo users' presence is refreshed."
    )


@dataclass(frozen=True)
class DevSecrets:
    """The local stack's webhook secrets and S3 key (generated once, kept in ``dev-secrets.json``)."""

    stripe_webhook_secret: str
    stripe_connect_webhook_secret: str
    revenuecat_authorization: str
    s3_secret_access_key: str

    @classmethod
    def generate(cls) -> DevSecrets:
        def token() -> str:
            return LOCAL_SECRET_MARKER + secrets.token_hex(16)

        return cls(f"whsec_{token()}", f"whsec_{token()}", f"Bearer {token()}", token())

    @classmethod
    def load_or_create(cls, path: Path) -> DevSecrets:
        """The secrets stored at ``path``, generated and stored there (mode 600) the first time."""
        if path.exists():
            return cls(**json.loads(path.read_text()))
        made = cls.generate()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            json.dump(asdict(made), out, indent=2)
        return made


def secrets_path(pg: LocalPgSettings | None = None) -> Path:
    """Where the local stack keeps its secrets: beside its PostgreSQL (``.local/`` by default)."""
    pg = pg or LocalPgSettings()
    return (pg.root or paths.LOCAL_DIR) / "dev-secrets.json"


def s3_url(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def service_env(dev_secrets: DevSecrets, s3: str) -> dict[str, str]:
    """The environment that points the service's payment and media settings at the local stack."""
    media = {
        "URL": s3,
        "ACCESS_KEY_ID": S3_ACCESS_KEY_ID,
        "SECRET_ACCESS_KEY": dev_secrets.s3_secret_access_key,
    }
    return {
        "WHATSSOUND_PAYMENTS_STRIPE_WEBHOOK_SECRET": dev_secrets.stripe_webhook_secret,
        "WHATSSOUND_PAYMENTS_STRIPE_CONNECT_WEBHOOK_SECRET": dev_secrets.stripe_connect_webhook_secret,
        "WHATSSOUND_PAYMENTS_REVENUECAT_AUTHORIZATION": dev_secrets.revenuecat_authorization,
        "WHATSSOUND_MEDIA_STORAGE_S3_REGION": S3_REGION,
        "WHATSSOUND_MEDIA_R2_REGION": S3_REGION,
        **{f"WHATSSOUND_MEDIA_STORAGE_S3_{k}": v for k, v in media.items()},
        **{f"WHATSSOUND_MEDIA_R2_{k}": v for k, v in media.items()},
    }


def export(env: dict[str, str]) -> None:
    """Put ``env`` into this process's environment, keeping what the caller's environment sets."""
    for key, value in env.items():
        os.environ.setdefault(key, value)


@contextlib.contextmanager
def local_s3(port: int, dev_secrets: DevSecrets) -> Iterator[str]:
    """A moto S3 server on ``port`` with the buckets the media settings name; yields its URL."""
    with socket.socket() as probe:  # moto's start() would wait forever on a port in use
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as moto's server binds
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise DevStackError(
                f"port {port} (the local S3 endpoint) is in use: set WHATSSOUND_DEV_S3_PORT to a free one"
            ) from None
    try:  # the `local` extra: `serve` (same CLI) and a production install must not need it
        from moto.server import ThreadedMotoServer  # noqa: PLC0415
    except ImportError:
        raise DevStackError(
            "the local S3 endpoint needs the `local` extra: pip install -e '.[local]'"
        ) from None

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto logs every request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        url = s3_url(port)
        store = objectstore.client(endpoint(url, dev_secrets))
        for bucket in (*STORAGE_BUCKETS, MediaSettings().r2_bucket):
            store.create_bucket(Bucket=bucket)
        logger.info("local S3 endpoint up", extra={"url": url})
        yield url
    finally:
        server.stop()


def endpoint(url: str, dev_secrets: DevSecrets) -> S3Endpoint:
    """The local S3 endpoint as the media code reaches it."""
    return S3Endpoint(
        url=url,
        region=S3_REGION,
        access_key_id=S3_ACCESS_KEY_ID,
        secret_access_key=SecretStr(dev_secrets.s3_secret_access_key),
    )
