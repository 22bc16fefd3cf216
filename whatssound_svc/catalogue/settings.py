"""Catalogue settings (env prefix ``WHATSSOUND_CATALOGUE_``): ``settings.catalogue``."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class CatalogueSettings(BaseSettings):
    """How the service asks providers about requested tracks (no credentials: nothing is verified)."""

    model_config = SettingsConfigDict(
        env_prefix="WHATSSOUND_CATALOGUE_", env_file=".env", env_ignore_empty=True, extra="ignore"
    )

    spotify_client_id: str | None = Field(default=None, description="Spotify app's client id.")
    spotify_client_secret: SecretStr | None = Field(default=None, description="Spotify app's client secret.")
    spotify_accounts_url: str = Field(
        default="https://accounts.spotify.com", description="Spotify's token endpoint base (a fake in tests)."
    )
    spotify_api_url: str = Field(
        default="https://api.spotify.com", description="Spotify Web API base URL (a fake in tests)."
    )
    request_timeout_s: float = Field(default=10.0, gt=0, le=60, description="Per request to a provider.")
    batch: int = Field(default=100, ge=1, le=1000, description="Provider ids asked about per run (a minute).")
    unavailable_retry_s: int = Field(
        default=300, ge=1, description="Wait before asking again after a provider failed (not rate limits)."
    )

    def production_problems(self) -> list[str]:
        """What production refuses: Spotify's client id without its secret, or the reverse."""
        if (self.spotify_client_id is None) == (self.spotify_client_secret is None):
            return []
        return ["spotify_client_id and spotify_client_secret (one is set without the other)"]
