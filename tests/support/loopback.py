"""Shared bits of the loopback fakes of external HTTP APIs (Twilio, RevenueCat, ...)."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler


def answer_json(handler: BaseHTTPRequestHandler, status: int, document: object) -> None:
    """Write ``document`` as the JSON body of a ``status`` response."""
    payload = json.dumps(document).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json; charset=utf-8")
    handler.send_header("Content-Length", str(len(payload)))
    handler.end_headers()
    handler.wfile.write(payload)
