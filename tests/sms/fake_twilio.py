"""A loopback Twilio Messages API: a real HTTP server on 127.0.0.1 that answers as Twilio documents.

Contract followed (twilio.com/docs/messaging/api/message-resource, /docs/usage/twilios-response,
/docs/api/errors/<code>): ``POST /2010-04-01/Accounts/{AccountSid}/Messages.json`` with HTTP
basic auth AccountSid:AuthToken and form fields To, MessagingServiceSid or From, Body; 201 with
a Message resource (``sid`` "SM" + 32 hex, status ``accepted`` through a messaging service,
``queued`` from a number); errors as ``{"code", "message", "more_info", "status"}``:

- 20003 (401) wrong credentials; 20404 (404) unknown resource;
- 21604 (400) no To, 21602 (400) no Body, 21603 (400) neither From nor MessagingServiceSid;
- 21211 (400) invalid To; 21408 (400) region not enabled; 21610 (400) unsubscribed recipient;
- 20429 (429) too many requests; 20500 (500) internal error; 503 service unavailable.

Tests script failures per destination (``fake.fail(to, "21408")``) and read
what arrived in ``fake.requests`` (every request) and ``fake.sent`` (accepted messages).
"""

from __future__ import annotations

import base64
import re
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from tests.support.loopback import answer_json

_E164 = re.compile(r"\+[1-9][0-9]{6,14}")
_PATH = re.compile(r"/2010-04-01/Accounts/(AC[0-9a-f]{32})/Messages\.json")

#: Scriptable failures: Twilio's (status, code, message) for each.
ERRORS: dict[str, tuple[int, int, str]] = {
    "21211": (400, 21211, "The 'To' number {to} is not a valid phone number."),
    "21408": (
        400,
        21408,
        "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: {to}.",
    ),
    "21610": (400, 21610, "Attempt to send to unsubscribed recipient"),
    "20429": (429, 20429, "Too Many Requests"),
    "20500": (500, 20500, "Internal Server Error"),
    "503": (503, 20503, "Service Unavailable"),
}


@dataclass(frozen=True)
class Received:
    """One request as the fake saw it, and the status it answered."""

    account_sid: str | None
    form: dict[str, str]
    status: int
    message_sid: str | None


class FakeTwilio:
    """Twilio's Messages API for one account, on a loopback port."""

    def __init__(self) -> None:
        """A new account (random SIDs and token) on a free loopback port, not yet serving."""
        self.account_sid = "AC" + uuid.uuid4().hex
        self.auth_token = uuid.uuid4().hex
        self.messaging_service_sid = "MG" + uuid.uuid4().hex
        self.requests: list[Received] = []
        self.delay_s = 0.0
        self._failures: dict[str, str] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True

    @property
    def url(self) -> str:
        """Base URL (what the service's twilio_base_url points at)."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def sent(self) -> list[dict[str, str]]:
        """Forms of the messages accepted (201)."""
        return [r.form for r in self.requests if r.status == 201]

    def fail(self, to: str, error: str | None) -> None:
        """Answer requests to ``to`` with ``ERRORS[error]`` from now on (None: accept them again)."""
        if error is None:
            self._failures.pop(to, None)
        else:
            self._failures[to] = error

    @contextmanager
    def running(self) -> Iterator[FakeTwilio]:
        """Serve in a background thread for the duration of the block."""
        thread = threading.Thread(target=self._server.serve_forever, name="fake-twilio", daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()
            thread.join()

    def answer(
        self, path: str, authorization: str | None, form: dict[str, str]
    ) -> tuple[int, dict[str, object]]:
        """Twilio's status and JSON body for one request."""
        match = _PATH.fullmatch(path)
        sid = match.group(1) if match else None
        status, document = self._decide(sid, authorization, form)
        with self._lock:
            message_sid = document.get("sid") if status == 201 else None
            self.requests.append(
                Received(sid, form, status, message_sid if isinstance(message_sid, str) else None)
            )
        return status, document

    def _decide(
        self, sid: str | None, authorization: str | None, form: dict[str, str]
    ) -> tuple[int, dict[str, object]]:
        """Authentication, then the resource, then scripted failures, then validation."""
        expected = "Basic " + base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if authorization != expected or sid not in (None, self.account_sid):
            return _error(401, 20003, "Authenticate")
        if sid is None:
            return _error(404, 20404, "The requested resource was not found")
        to = form.get("To", "")
        scripted = self._failures.get(to)
        if scripted is not None:
            status, code, message = ERRORS[scripted]
            return _error(status, code, message.format(to=to))
        return _invalid(form) or (201, self._message(form))

    def _message(self, form: dict[str, str]) -> dict[str, object]:
        """The Message resource Twilio returns for an accepted message."""
        sid = "SM" + uuid.uuid4().hex
        via_service = "MessagingServiceSid" in form
        now = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime())
        return {
            "account_sid": self.account_sid,
            "api_version": "2010-04-01",
            "body": form["Body"],
            "date_created": now,
            "date_sent": None,
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": None if via_service else form.get("From"),
            "messaging_service_sid": form.get("MessagingServiceSid"),
            "num_media": "0",
            "num_segments": "0" if via_service else "1",
            "price": None,
            "price_unit": None,
            "sid": sid,
            "status": "accepted" if via_service else "queued",
            "subresource_uris": {
                "media": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}/Media.json"
            },
            "to": form["To"],
            "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json",
        }


def _invalid(form: dict[str, str]) -> tuple[int, dict[str, object]] | None:
    """Twilio's validation error for a form it would not accept, else None."""
    to = form.get("To", "")
    if not to:
        return _error(400, 21604, "A 'To' phone number is required.")
    if not form.get("Body"):
        return _error(400, 21602, "Message body is required.")
    if not (form.get("From") or form.get("MessagingServiceSid")):
        return _error(
            400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message."
        )
    if not _E164.fullmatch(to):
        return _error(400, 21211, f"The 'To' number {to} is not a valid phone number.")
    return None


def _error(status: int, code: int, message: str) -> tuple[int, dict[str, object]]:
    """Twilio's exception document."""
    return status, {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


def _handler(fake: FakeTwilio) -> type[BaseHTTPRequestHandler]:
    """The request handler class serving ``fake``."""

    class Handler(BaseHTTPRequestHandler):
        """Reads the form, lets the fake decide, writes its JSON answer."""

        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            """One API call."""
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode()
            form = {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}
            if fake.delay_s:
                time.sleep(fake.delay_s)
            status, document = fake.answer(self.path, self.headers.get("Authorization"), form)
            answer_json(self, status, document)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: tests read ``fake.requests`` instead."""

    return Handler
