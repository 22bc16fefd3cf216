"""Standard Webhooks verification of the requests Supabase Auth sends to HTTP auth hooks.

What this follows, and where it was read:

- Spec (standard-webhooks/standard-webhooks ``spec/standard-webhooks.md``): headers
  ``webhook-id``, ``webhook-timestamp`` (integer Unix seconds), ``webhook-signature`` (a space
  delimited list of ``<version>,<base64 signature>``); symmetric signatures are ``v1`` =
  base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")) over the raw body; secrets are shown as
  ``whsec_<base64 key>``; compare in constant time; refuse timestamps outside a tolerance; use
  the id as an idempotency key against replays.
- Reference libraries (``libraries/go/webhook.go``, ``libraries/python/standardwebhooks/
  webhooks.py``): tolerance 5 minutes both ways ("too old" / "too new"); entries that do not
  split into at least two comma-separated parts, or whose version is not ``v1``, are skipped.
- Supabase Auth (supabase/auth ``internal/hooks/hookshttp/hookshttp.go``): signs with the Go
  library, one signature per configured secret (``v1,whsec_...``, ``|``-separated in its config,
  ``internal/conf/configuration.go``), joined with ``", "`` (so an entry may end with a comma);
  a fresh UUID ``webhook-id`` and timestamp for every attempt, retries included.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence

#: How far a request's timestamp may be from our clock, either way (the reference libraries' value).
TOLERANCE_S = 5 * 60

_TIMESTAMP = re.compile(r"[0-9]{1,12}")
# The spec asks that ids never contain "."; Supabase Auth sends UUIDs. 255 = the audit column's limit.
_WEBHOOK_ID = re.compile(r"[A-Za-z0-9_\-]{1,255}")


class WebhookRefused(Exception):
    """The request is not a fresh, authentic webhook; ``reason`` says which check failed."""

    def __init__(self, reason: str) -> None:
        """Keep which check failed (never the secret or the signature)."""
        super().__init__(reason)
        self.reason = reason


def sign(key: bytes, webhook_id: str, timestamp: int, body: bytes) -> str:
    """The ``v1,<base64>`` signature of ``body`` sent as ``webhook_id`` at ``timestamp``."""
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def verify(keys: Sequence[bytes], headers: Mapping[str, str], body: bytes, *, now: float) -> str:
    """The request's webhook id if one of its signatures was made with one of ``keys`` over this
    exact body, id and timestamp, and the timestamp is within 5 minutes of ``now``; otherwise
    :class:`WebhookRefused` (missing_headers, invalid_headers, too_old, too_new, no_match)."""
    webhook_id = headers.get("webhook-id", "")
    timestamp_text = headers.get("webhook-timestamp", "")
    signatures = headers.get("webhook-signature", "")
    if not (webhook_id and timestamp_text and signatures):
        raise WebhookRefused("missing_headers")
    if not (_WEBHOOK_ID.fullmatch(webhook_id) and _TIMESTAMP.fullmatch(timestamp_text)):
        raise WebhookRefused("invalid_headers")
    timestamp = int(timestamp_text)
    if now - timestamp > TOLERANCE_S:
        raise WebhookRefused("too_old")
    if timestamp - now > TOLERANCE_S:
        raise WebhookRefused("too_new")
    expected = [sign(key, webhook_id, timestamp, body).removeprefix("v1,").encode() for key in keys]
    for entry in signatures.split():
        parts = entry.split(",")
        if len(parts) < 2 or parts[0] != "v1":
            continue
        offered = parts[1].encode()
        if any(hmac.compare_digest(offered, candidate) for candidate in expected):
            return webhook_id
    raise WebhookRefused("no_match")
