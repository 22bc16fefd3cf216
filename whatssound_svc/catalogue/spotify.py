"""Spotify's Web API, as the verifier uses it (Client Credentials: no user involved).

- Token: ``POST {accounts}/api/token`` with ``grant_type=client_credentials`` and HTTP Basic
  client id/secret; answers ``access_token`` and ``expires_in`` (seconds)
  (developer.spotify.com/documentation/web-api/tutorials/client-credentials-flow).
- Track: ``GET {api}/v1/tracks/{id}`` with ``Authorization: Bearer``: the track object (``name``,
  ``artists[].name``, ``duration_ms``, ``explicit``, ``album.images[]`` widest first)
  (…/web-api/reference/get-track). Errors are ``{"error": {"status", "message"}}``: 400 for an
  invalid id, 401 when the token expired, 404 for no such track, 429 with ``Retry-After`` in
  seconds when the app's rolling 30-second window is spent (…/web-api/concepts/rate-limits), 5xx.
Track ids are 22 base62 characters (…/web-api/concepts/spotify-uris-ids): anything else is not a
track, and is not sent.
"""

from __future__ import annotations

import re
import time
from typing import Any

import httpx2

from whatssound_svc.catalogue.provider import ProviderTrack, ProviderUnavailable, RateLimited
from whatssound_svc.catalogue.settings import CatalogueSettings

TRACK_ID = re.compile(r"[0-9A-Za-z]{22}")
#: Renew a token this long before Spotify says it expires.
TOKEN_MARGIN_S = 60


class Spotify:
    """Looks tracks up by id with an app token it renews itself."""

    provider = "spotify"

    def __init__(self, settings: CatalogueSettings, http: httpx2.AsyncClient | None = None) -> None:
        assert settings.spotify_client_id  # providers() checks both
        assert settings.spotify_client_secret
        self._auth = (settings.spotify_client_id, settings.spotify_client_secret.get_secret_value())
        self._accounts = settings.spotify_accounts_url.rstrip("/")
        self._api = settings.spotify_api_url.rstrip("/")
        self.http = http or httpx2.AsyncClient(timeout=settings.request_timeout_s)
        self._token: str | None = None
        self._token_until = 0.0

    async def aclose(self) -> None:
        await self.http.aclose()

    async def _send(self, method: str, url: str, **kwargs: Any) -> httpx2.Response:
        try:
            return await self.http.request(method, url, **kwargs)
        except httpx2.TransportError as exc:
            raise ProviderUnavailable(f"spotify: {type(exc).__name__}") from exc

    async def _access_token(self) -> str:
        if self._token is None or time.monotonic() >= self._token_until:
            response = await self._send(
                "POST",
                f"{self._accounts}/api/token",
                data={"grant_type": "client_credentials"},
                auth=self._auth,
            )
            _raise_for_status(response)
            document = response.json()
            self._token = str(document["access_token"])
            self._token_until = time.monotonic() + float(document.get("expires_in", 3600)) - TOKEN_MARGIN_S
        return self._token

    async def track(self, track_id: str) -> ProviderTrack | None:
        """The track's details, or None if Spotify has no such track."""
        if not TRACK_ID.fullmatch(track_id):
            return None
        for _ in range(2):  # a token Spotify expired early is renewed once
            token = await self._access_token()
            response = await self._send(
                "GET", f"{self._api}/v1/tracks/{track_id}", headers={"authorization": f"Bearer {token}"}
            )
            if response.status_code != 401:
                break
            self._token = None
        if response.status_code in (400, 404):
            return None
        _raise_for_status(response)
        return _parse(response.json())


def _raise_for_status(response: httpx2.Response) -> None:
    if response.status_code == 429:
        raise RateLimited(_retry_after(response))
    if response.status_code != 200:
        raise ProviderUnavailable(f"spotify: HTTP {response.status_code}")


def _retry_after(response: httpx2.Response) -> int:
    try:
        return max(1, int(response.headers.get("retry-after", "")))
    except ValueError:
        return 30  # Spotify's window is 30 s


def _parse(document: Any) -> ProviderTrack:
    try:
        images = (document.get("album") or {}).get("images") or []
        return ProviderTrack(
            title=str(document["name"]),
            artist=", ".join(str(a["name"]) for a in document.get("artists") or []),
            duration_ms=int(document["duration_ms"]),
            artwork_url=str(images[0]["url"]) if images else None,
            explicit=bool(document.get("explicit")),
        )
    except (AttributeError, KeyError, TypeError, ValueError, IndexError) as exc:
        raise ProviderUnavailable(f"spotify: unexpected track object ({exc})") from exc
