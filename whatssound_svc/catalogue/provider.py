"""What the verifier needs from a provider: a track's details by id, or word that it has none."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class ProviderTrack:
    """A track as the provider's catalogue describes it."""

    title: str
    artist: str
    duration_ms: int
    artwork_url: str | None
    explicit: bool


class ProviderUnavailable(Exception):
    """The provider did not answer usefully (network, 5xx, an unexpected document): ask again later."""


class RateLimited(ProviderUnavailable):
    """The provider asked us to wait ``retry_after_s`` seconds before any further request."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"rate limited for {retry_after_s} s")
        self.retry_after_s = retry_after_s


class Provider(Protocol):
    """A provider's catalogue API."""

    provider: str

    async def track(self, track_id: str) -> ProviderTrack | None:
        """The track's details, or None when the provider has no such track."""

    async def aclose(self) -> None:
        """Release the HTTP client."""
