"""Push settings (env prefix ``WHATSSOUND_PUSH_``): ``settings.push``."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class PushSettings(BaseSettings):
    """How the service talks to Expo's push API."""

    model_config = SettingsConfigDict(
        env_prefix="WHATSSOUND_PUSH_", env_file=".env", env_ignore_empty=True, extra="ignore"
    )

    expo_url: str = Field(
        default="https://exp.host", description="Expo push API base URL (a loopback fake in tests)."
    )
    expo_access_token: SecretStr | None = Field(
        default=None, description="Expo access token, if enhanced push security is on for the project."
    )
    request_timeout_s: float = Field(default=10.0, gt=0, le=60, description="Per request to Expo.")
    concurrency: int = Field(
        default=6, ge=1, le=20, description="Requests to Expo in flight at once (Expo's SDK: 6)."
    )
    chunk_size: int = Field(
        default=100, ge=1, le=100, description="Messages per request (Expo's maximum: 100)."
    )
    max_attempts: int = Field(
        default=25,
        ge=1,
        le=50,
        description="Send attempts before a message is given up (25 with the backoff: over 80 minutes).",
    )
    retry_base_s: float = Field(
        default=2.0, gt=0, description="First retry waits up to this; doubles per attempt."
    )
    due_wait_s: float = Field(
        default=60.0,
        ge=0,
        le=600,
        description="The minute's drain (push:send_later) stays this long for messages falling due.",
    )
    fanout_page: int = Field(
        default=500, ge=1, le=5000, description="Followers notified per transaction when a DJ goes live."
    )
    receipt_batch: int = Field(
        default=1000, ge=1, le=1000, description="Receipt ids per request (Expo's maximum: 1000)."
    )

    def production_problems(self) -> list[str]:
        """What production refuses beyond placeholder secrets: nothing (the access token is optional)."""
        return []
