"""Media settings (env prefix ``WHATSSOUND_MEDIA_``): ``settings.media``.

Two S3 endpoints: Supabase Storage's S3 API (the originals and the renditions; its S3 access keys,
server-side only: they bypass RLS) and Cloudflare R2 (the backup copy of every original).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from whatssound_svc.errors import WhatsSoundError


class S3Endpoint(BaseModel):
    """Where an S3-compatible store answers and how to sign for it."""

    url: str
    region: str
    access_key_id: str
    secret_access_key: SecretStr


class MediaSettings(BaseSettings):
    """How the media jobs reach Storage and R2, and what they produce."""

    model_config = SettingsConfigDict(
        env_prefix="WHATSSOUND_MEDIA_", env_file=".env", env_ignore_empty=True, extra="ignore"
    )

    storage_s3_url: str | None = Field(
        default=None,
        description="Storage's S3 endpoint: https://<ref>.storage.supabase.co/storage/v1/s3 "
        "(local `supabase start`: http://127.0.0.1:54321/storage/v1/s3).",
    )
    storage_s3_region: str = Field(default="us-east-1", description="The project's region (local: `local`).")
    storage_s3_access_key_id: str | None = Field(default=None, description="Storage S3 access key id.")
    storage_s3_secret_access_key: SecretStr | None = Field(default=None, description="Its secret.")
    r2_url: str | None = Field(
        default=None, description="R2's endpoint: https://<account id>.r2.cloudflarestorage.com."
    )
    r2_region: str = Field(default="auto", description="R2's region: auto.")
    r2_access_key_id: str | None = Field(default=None, description="R2 API token's access key id.")
    r2_secret_access_key: SecretStr | None = Field(default=None, description="Its secret.")
    r2_bucket: str = Field(default="whatssound-originals", description="The backup bucket in R2.")
    stream_bitrate_kbps: int = Field(
        default=128, ge=32, le=320, description="Rendition bitrate for stereo, kbit/s (mono: half)."
    )
    max_minutes: int = Field(default=240, ge=1, description="Longest set accepted, minutes.")
    work_dir: Path | None = Field(
        default=None, description="Where originals and renditions are staged (default: temp)."
    )
    max_attempts: int = Field(
        default=5, ge=1, le=20, description="Runs of a media job before it is given up."
    )

    def production_problems(self) -> list[str]:
        """What production refuses: an endpoint given its URL but not both of its keys."""
        endpoints = {
            "storage_s3": (
                self.storage_s3_url,
                self.storage_s3_access_key_id,
                self.storage_s3_secret_access_key,
            ),
            "r2": (self.r2_url, self.r2_access_key_id, self.r2_secret_access_key),
        }
        return [
            f"{prefix}_access_key_id and _secret_access_key (missing: {prefix}_url is set)"
            for prefix, (url, key_id, secret) in endpoints.items()
            if url and not (key_id and secret)
        ]

    def storage(self) -> S3Endpoint:
        """Storage's S3 endpoint, or :class:`MediaNotConfigured`."""
        return _endpoint("storage_s3", self.storage_s3_url, self.storage_s3_region,
                         self.storage_s3_access_key_id, self.storage_s3_secret_access_key)  # fmt: skip

    def r2(self) -> S3Endpoint:
        """R2's endpoint, or :class:`MediaNotConfigured`."""
        return _endpoint("r2", self.r2_url, self.r2_region, self.r2_access_key_id, self.r2_secret_access_key)


class MediaNotConfigured(WhatsSoundError):
    """A media job or command needs an S3 endpoint whose settings are missing."""

    code = "MDCFG"
    http_status = 503


def _endpoint(
    prefix: str, url: str | None, region: str, key_id: str | None, secret: SecretStr | None
) -> S3Endpoint:
    if not (url and key_id and secret):
        raise MediaNotConfigured(
            f"set WHATSSOUND_MEDIA_{prefix.upper()}_URL, _ACCESS_KEY_ID and _SECRET_ACCESS_KEY"
        )
    return S3Endpoint(url=url, region=region, access_key_id=key_id, secret_access_key=secret)
