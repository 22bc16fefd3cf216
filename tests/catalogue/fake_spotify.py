"""A loopback Spotify Web API, following what Spotify documents:

- ``POST /api/token`` (Client Credentials flow): form ``grant_type=client_credentials`` and HTTP
  Basic client id/secret; else 400 ``unsupported_grant_type`` or 401 ``invalid_client``. Answers
  ``{"access_token", "token_type": "Bearer", "expires_in"}``
  (developer.spotify.com/documentation/web-api/tutorials/client-credentials-flow).
- ``GET /v1/tracks/{id}`` (developer.spotify.com/documentation/web-api/reference/get-track) with
  ``Authorization: Bearer``: 401 ``The access token expired`` / ``Invalid access token``; 400
  ``Invalid base62 id``; 404 ``Resource not found``; the track object otherwise. Errors are
  ``{"error": {"status", "message"}}`` (…/web-api/concepts/api-calls).
- Rate limit: at most ``limit_per_window`` calls in a rolling 30-second window per app, then 429
  with ``Retry-After`` in seconds (…/web-api/concepts/rate-limits).

Tests add tracks, expire tokens, queue faults, and read what it was asked.
"""

from __future__ import annotations

import base64
import re
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from tests.support.loopback import answer_json

CLIENT_ID, CLIENT_SECRET = "test-client", "test-secret"  # a fake's credentials
WINDOW_S = 30


def track_id(n: int | str) -> str:
    """A well-formed Spotify track id (22 base62 characters)."""
    return str(n).rjust(22, "A")[:22]


class FakeSpotify:
    def __init__(self) -> None:
        self.tracks: dict[str, dict[str, Any]] = {}
        self.tokens: set[str] = set()
        self.asked: list[str] = []  # track ids, in order
        self.token_requests = 0
        self.calls: list[float] = []
        self.limit_per_window = 1000
        self.retry_after_s = 7
        self.faults: list[int] = []  # statuses for the next track calls
        self.lock = threading.Lock()
        self.url = ""

    def add(self, tid: str, name: str, artists: list[str], duration_ms: int = 200_000, explicit: bool = False,
            image: str | None = "https://i.scdn.co/image/ab67616d0000b273") -> None:  # fmt: skip
        self.tracks[tid] = {
            "id": tid, "type": "track", "name": name, "duration_ms": duration_ms, "explicit": explicit,
            "artists": [{"id": uuid.uuid4().hex[:22], "name": a, "type": "artist"} for a in artists],
            "album": {"name": "Album", "images": [{"url": image, "height": 640, "width": 640}] if image else []},
        }  # fmt: skip

    def expire_tokens(self) -> None:
        self.tokens.clear()

    def token(self, headers: dict[str, str], form: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
        self.token_requests += 1
        if form.get("grant_type") != ["client_credentials"]:
            return 400, {
                "error": "unsupported_grant_type",
                "error_description": "grant_type must be client_credentials",
            }
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if headers.get("authorization") != f"Basic {expected}":
            return 401, {"error": "invalid_client", "error_description": "Invalid client"}
        token = uuid.uuid4().hex
        self.tokens.add(token)
        return 200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600}

    def track(self, headers: dict[str, str], tid: str) -> tuple[int, dict[str, Any], dict[str, str]]:
        now = time.monotonic()
        self.calls = [t for t in self.calls if now - t < WINDOW_S]
        if len(self.calls) >= self.limit_per_window:
            return 429, {"error": {"status": 429, "message": "API rate limit exceeded"}}, {
                "Retry-After": str(self.retry_after_s)}  # fmt: skip
        self.calls.append(now)
        auth = headers.get("authorization", "")
        if not auth.startswith("Bearer ") or auth.removeprefix("Bearer ") not in self.tokens:
            return 401, {"error": {"status": 401, "message": "The access token expired"}}, {}
        self.asked.append(tid)
        if self.faults:
            status = self.faults.pop(0)
            return status, {"error": {"status": status, "message": "Service unavailable"}}, {}
        if not re.fullmatch(r"[0-9A-Za-z]{22}", tid):
            return 400, {"error": {"status": 400, "message": "Invalid base62 id"}}, {}
        if tid not in self.tracks:
            return 404, {"error": {"status": 404, "message": "Resource not found"}}, {}
        return 200, self.tracks[tid], {}


@contextmanager
def running() -> Iterator[FakeSpotify]:
    fake = FakeSpotify()

    class Handler(BaseHTTPRequestHandler):
        def _headers(self) -> dict[str, str]:
            return {k.lower(): v for k, v in self.headers.items()}

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = parse_qs(self.rfile.read(length).decode())
            with fake.lock:
                status, document = (
                    fake.token(self._headers(), form) if self.path == "/api/token" else (404, {})
                )
            answer_json(self, status, document)

        def do_GET(self) -> None:
            if not self.path.startswith("/v1/tracks/"):
                return answer_json(self, 404, {"error": {"status": 404, "message": "Service not found"}})
            with fake.lock:
                status, document, extra = fake.track(self._headers(), self.path.removeprefix("/v1/tracks/"))
            return answer_json(self, status, document, extra)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
