"""A loopback RevenueCat REST API v1: ``GET /v1/subscribers/{app_user_id}`` as RevenueCat documents
it (api-v1.yaml): Bearer secret key, 200 with ``{"request_date", "subscriber": {...}}`` for a known
customer, **201 creating an empty customer** for an unknown id (get-or-create), 401 with
``{"code": 7225, "message": "Invalid API Key."}`` for a wrong key, 429 ``{"code": 7638}`` when
rate limited. Records every request (path and headers) for assertions."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

from tests.support.loopback import answer_json

KEY = "sk_test_whatssound"


class FakeRevenueCat:
    """Subscribers by app user id; ``created`` lists ids the fake had to create."""

    def __init__(self) -> None:
        self.subscribers: dict[str, dict[str, Any]] = {}
        self.created: list[str] = []
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.rate_limited = False
        self.url = ""

    def handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake.requests.append((self.path, dict(self.headers)))
                if not self.path.startswith("/v1/subscribers/"):
                    return answer_json(self, 404, {"code": 7259, "message": "Not found."})
                if self.headers.get("Authorization") != f"Bearer {KEY}":
                    return answer_json(self, 401, {"code": 7225, "message": "Invalid API Key."})
                if fake.rate_limited:
                    return answer_json(self, 429, {"code": 7638, "message": "Rate limit exceeded."})
                app_user_id = unquote(self.path.removeprefix("/v1/subscribers/"))
                status = 200
                if app_user_id not in fake.subscribers:
                    fake.created.append(app_user_id)
                    fake.subscribers[app_user_id] = {"entitlements": {}, "subscriptions": {}}
                    status = 201
                return answer_json(self, status, {"request_date": "2030-01-01T00:00:00Z",
                                             "subscriber": fake.subscribers[app_user_id]})  # fmt: skip

            def log_message(self, format: str, *args: Any) -> None:
                return

        return Handler


@contextmanager
def running() -> Iterator[FakeRevenueCat]:
    fake = FakeRevenueCat()
    server = ThreadingHTTPServer(("127.0.0.1", 0), fake.handler())
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
