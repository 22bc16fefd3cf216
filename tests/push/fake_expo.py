"""A loopback Expo push API, enforcing what Expo documents (docs.expo.dev/push-notifications/sending-notifications):

- ``POST /--/api/v2/push/send``: one message or a list of at most 100 (else 400
  ``PUSH_TOO_MANY_NOTIFICATIONS``); at most 600 notifications per second per project (else 429
  ``TOO_MANY_REQUESTS``, nothing accepted); with enhanced security, ``Authorization: Bearer``
  (else 401 ``UNAUTHORIZED``). One ticket per message, in order: ``ok`` with an id, or an error
  with ``details.error`` (``DeviceNotRegistered``, ``MessageRateExceeded``).
- ``POST /--/api/v2/push/getReceipts``: at most 1000 ids (else 400 ``PUSH_TOO_MANY_RECEIPTS``);
  receipts of ready tickets only (the rest omitted): ``ok`` or ``DeviceNotRegistered``,
  ``MessageTooBig`` (payload over 4096 bytes), ``InvalidCredentials``.

Tests steer it (tokens that are unregistered, faults for the next requests, answers held back as
if the client died waiting: ``answering.clear()``) and read what it saw
(messages accepted, requests, the highest count in any one second).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.support.loopback import answer_json

RATE_PER_SECOND = 600


def token(n: int | str) -> str:
    """A well-formed Expo push token."""
    return f"ExponentPushToken[{str(n).rjust(22, 'x')}]"


def token_of(device_user: uuid.UUID) -> str:
    """The token the push tests' bulk users register (tests/push/conftest.py)."""
    return f"ExponentPushToken[{device_user.hex}]"


class FakeExpo:
    def __init__(self) -> None:
        self.accepted: list[dict[str, Any]] = []  # messages with "ticket" added
        self.requests = 0
        self.per_second: Counter[int] = Counter()
        self.unregistered: set[str] = set()  # ticket error DeviceNotRegistered
        self.unregistered_later: set[str] = set()  # ticket ok, receipt DeviceNotRegistered
        self.rate_exceeded: set[str] = set()  # ticket error MessageRateExceeded
        self.credentials_broken = False  # receipts InvalidCredentials
        self.access_token: str | None = None
        self.faults: list[tuple[int, str]] = []
        self.receipts_ready = True
        self.latency_s = 0.0  # added to every answer (benchmarks: Expo's own latency)
        self.answering = threading.Event()  # cleared: requests are handled (messages accepted), answers held
        self.answering.set()
        self.held = 0  # answers waiting for ``answering``
        self.rate_per_second = RATE_PER_SECOND  # raised only to measure our own capacity
        self.lock = threading.Lock()
        self.url = ""

    @property
    def peak_per_second(self) -> int:
        return max(self.per_second.values(), default=0)

    def fail_next(self, status: int, code: str, times: int = 1) -> None:
        self.faults += [(status, code)] * times

    def _send(self, messages: list[dict[str, Any]]) -> tuple[int, dict[str, Any]]:
        if len(messages) > 100:
            return 400, {"errors": [{"code": "PUSH_TOO_MANY_NOTIFICATIONS",
                                     "message": "You are trying to send more than 100 push notifications in one request."}]}  # fmt: skip
        second = int(time.monotonic())
        if self.per_second[second] + len(messages) > self.rate_per_second:
            return 429, {"errors": [{"code": "TOO_MANY_REQUESTS",
                                     "message": "The project exceeded 600 notifications per second."}]}  # fmt: skip
        self.per_second[second] += len(messages)
        tickets = []
        for message in messages:
            to = message.get("to")
            if to in self.unregistered:
                tickets.append({"status": "error", "message": f'"{to}" is not a registered push notification recipient',
                                "details": {"error": "DeviceNotRegistered", "expoPushToken": to}})  # fmt: skip
            elif to in self.rate_exceeded:
                tickets.append({"status": "error", "message": "Too many messages to this device.",
                                "details": {"error": "MessageRateExceeded"}})  # fmt: skip
            else:
                ticket = str(uuid.uuid4())
                self.accepted.append({**message, "ticket": ticket})
                tickets.append({"status": "ok", "id": ticket})
        return 200, {"data": tickets}

    def _receipt(self, message: dict[str, Any]) -> dict[str, Any]:
        def error(code: str) -> dict[str, Any]:
            return {"status": "error", "message": code, "details": {"error": code}}

        if self.credentials_broken:
            return error("InvalidCredentials")
        if message["to"] in self.unregistered_later:
            return error("DeviceNotRegistered")
        if len(json.dumps({k: v for k, v in message.items() if k != "ticket"}).encode()) > 4096:
            return error("MessageTooBig")
        return {"status": "ok"}

    def _receipts(self, ids: list[str]) -> tuple[int, dict[str, Any]]:
        if len(ids) > 1000:
            return 400, {"errors": [{"code": "PUSH_TOO_MANY_RECEIPTS", "message": "At most 1000 ids."}]}
        by_ticket = {m["ticket"]: m for m in self.accepted}
        ready = {i: self._receipt(by_ticket[i]) for i in ids if i in by_ticket and self.receipts_ready}
        return 200, {"data": ready}

    def handle(self, path: str, headers: dict[str, str], body: Any) -> tuple[int, dict[str, Any]]:
        with self.lock:
            self.requests += 1
            if (
                self.access_token is not None
                and headers.get("authorization") != f"Bearer {self.access_token}"
            ):
                return 401, {"errors": [{"code": "UNAUTHORIZED", "message": "Enhanced push security is on."}]}
            if self.faults:
                status, code = self.faults.pop(0)
                return status, {"errors": [{"code": code, "message": code}]}
            if path == "/--/api/v2/push/send":
                return self._send(body if isinstance(body, list) else [body])
            if path == "/--/api/v2/push/getReceipts":
                return self._receipts(list(body.get("ids", [])))
            return 404, {"errors": [{"code": "NOT_FOUND", "message": path}]}


@contextmanager
def running() -> Iterator[FakeExpo]:
    fake = FakeExpo()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"null")
            except ValueError:
                return answer_json(
                    self, 400, {"errors": [{"code": "VALIDATION_ERROR", "message": "bad JSON"}]}
                )
            status, document = fake.handle(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            time.sleep(fake.latency_s)
            if not fake.answering.is_set():
                with fake.lock:
                    fake.held += 1
                fake.answering.wait()
            try:
                answer_json(self, status, document)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client went away (a killed worker): nothing to answer
            return None

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
