"""Shared bits of the loopback fakes of external HTTP APIs (Twilio, RevenueCat, ...)."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler


def answer_json(
    handler: BaseHTTPRequestHandler, status: int, document: object, headers: dict[str, str] | None = None
) -> None:
    """Write ``document`` as the JSON body of a ``status`` response (with extra ``headers``)."""
    payload = json.dumps(document).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json; charset=utf-8")
    handler.send_header("Content-Length", str(len(payload)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(payload)
