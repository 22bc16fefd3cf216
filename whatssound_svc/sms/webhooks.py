"""Standard Webhooks verification of the requests Supabase Auth sends to HTTP auth hooks, by the
reference library (PyPI ``standardwebhooks``, from standard-webhooks/standard-webhooks).

The library checks that ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature`` are
there, that the timestamp is within 5 minutes of our clock either way, and that one ``v1``
signature is base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")) over the raw body, compared in
constant time. What is ours, around it:

- Several keys (secret rotation): Supabase Auth (supabase/auth
  ``internal/hooks/hookshttp/hookshttp.go``) signs once per configured secret (``v1,whsec_...``,
  ``|``-separated in its config) and joins the signatures with ``", "``. The library parses
  entries split on spaces as exactly ``version,signature`` and would raise on a trailing comma
  or on an entry it cannot parse, so the header is normalised first: trailing commas dropped,
  entries that are not ``v<n>,<base64>`` skipped (the spec says unknown ones are ignored).
- Stricter headers than the library: the timestamp must be integer seconds (the spec; the
  library takes any float) and the id a token without "." (the spec) of at most 255 characters
  (the audit column), since the id is our replay key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

_TIMESTAMP = re.compile(r"[0-9]{1,12}")
# The spec asks that ids never contain "."; Supabase Auth sends UUIDs. 255 = the audit column's limit.
_WEBHOOK_ID = re.compile(r"[A-Za-z0-9_\-]{1,255}")
# "<version>,<padded base64>": what the library can split and decode without raising.
_SIGNATURE_ENTRY = re.compile(r"v[0-9]+[a-z]*,(?=(?:.{4})+$)[A-Za-z0-9+/]+={0,2}")
#: The library's refusals that depend on the clock, not the key (its messages, pinned with its version).
_CLOCK = {"Message timestamp too old": "too_old", "Message timestamp too new": "too_new"}


class WebhookRefused(Exception):
    """The request is not a fresh, authentic webhook; ``reason`` says which check failed."""

    def __init__(self, reason: str) -> None:
        """Keep which check failed (never the secret or the signature)."""
        super().__init__(reason)
        self.reason = reason


def sign(key: bytes, webhook_id: str, timestamp: int, body: bytes) -> str:
    """The ``v1,<base64>`` signature of ``body`` sent as ``webhook_id`` at ``timestamp`` (tests,
    benchmarks: what Supabase Auth sends)."""
    return Webhook(key).sign(webhook_id, datetime.fromtimestamp(timestamp, UTC), body.decode())


def verify(keys: Sequence[bytes], headers: Mapping[str, str], body: bytes) -> str:
    """The request's webhook id if one of its signatures was made with one of ``keys`` over this
    exact body, id and timestamp, and the timestamp is within 5 minutes of now; otherwise
    :class:`WebhookRefused` (missing_headers, invalid_headers, too_old, too_new, no_match)."""
    webhook_id = headers.get("webhook-id", "")
    timestamp = headers.get("webhook-timestamp", "")
    signatures = headers.get("webhook-signature", "")
    if not (webhook_id and timestamp and signatures):
        raise WebhookRefused("missing_headers")
    if not (_WEBHOOK_ID.fullmatch(webhook_id) and _TIMESTAMP.fullmatch(timestamp)):
        raise WebhookRefused("invalid_headers")
    try:
        data = body.decode()
    except UnicodeDecodeError:
        raise WebhookRefused("no_match") from None  # Supabase Auth signs UTF-8 JSON
    entries = (entry.rstrip(",") for entry in signatures.split())
    normalised = {
        "webhook-id": webhook_id,
        "webhook-timestamp": timestamp,
        "webhook-signature": " ".join(e for e in entries if _SIGNATURE_ENTRY.fullmatch(e)),
    }
    if not normalised["webhook-signature"]:
        raise WebhookRefused("no_match")
    for key in keys:
        try:
            Webhook(key).verify(data, normalised, json_parse=False)
        except WebhookVerificationError as exc:
            if str(exc) in _CLOCK:
                raise WebhookRefused(_CLOCK[str(exc)]) from None  # no other key would help
            continue
        return webhook_id
    raise WebhookRefused("no_match")
