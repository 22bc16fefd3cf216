"""Catch up with Stripe: list its events of a window and feed the ones we never stored through the
same ledger path as webhooks (``private.record_webhook_event``), then process them.

Stripe keeps events for 30 days and retries failed webhook deliveries for 3; an outage of our
endpoint, a misconfigured secret or a lost delivery is repaired by running this over the gap.
Platform events (tips: PaymentIntents, charges, refunds, disputes) are listed with the platform
key; each DJ's connected account is then asked for its ``account.updated`` events (``Stripe-
Account`` header), stored as the Connect endpoint would. Idempotent: an event stored before only
counts as a duplicate delivery.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import psycopg
import stripe

DEFAULT_API_BASE = "https://api.stripe.com"
#: Stripe lists events of the last 30 days only.
RETENTION = dt.timedelta(days=30)
_WINDOW = re.compile(r"^(\d+)([dhm])$")


def parse_window(text: str, now: dt.datetime | None = None) -> dt.datetime:
    """``3d``, ``12h``, ``90m`` or an ISO date/time → the start of the window (UTC)."""
    now = now or dt.datetime.now(dt.UTC)
    match = _WINDOW.match(text.strip())
    if match:
        unit = {"d": "days", "h": "hours", "m": "minutes"}[match[2]]
        return now - dt.timedelta(**{unit: int(match[1])})
    try:
        start = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a window like 3d, 12h, 90m or an ISO date") from None
    return start if start.tzinfo else start.replace(tzinfo=dt.UTC)


def client(api_key: str, api_base: str = DEFAULT_API_BASE) -> stripe.StripeClient:
    """A Stripe client with explicit retries (connection errors, 409, 429, Stripe-Should-Retry)."""
    return stripe.StripeClient(api_key, base_addresses={"api": api_base}, max_network_retries=3)


@dataclass
class Report:
    """What a reconciliation saw and did."""

    listed: int = 0
    new: int = 0
    accounts: int = 0
    processed: int = 0

    @property
    def already_stored(self) -> int:
        return self.listed - self.new


def _store(conn: psycopg.Connection, provider: str, event: dict[str, Any]) -> bool:
    row = conn.execute(
        "select private.record_webhook_event(%s, %s, %s, %s, %s, to_timestamp(%s), %s::jsonb)",
        (provider, event["id"], event["type"], bool(event.get("livemode")), event.get("account"),
         int(event.get("created") or 0), json.dumps(event)),
    ).fetchone()  # fmt: skip
    return bool(row and row[0])


def _events(api: stripe.StripeClient, since: dt.datetime, **kwargs: Any) -> Iterable[dict[str, Any]]:
    params: dict[str, Any] = {"created": {"gte": int(since.timestamp())}, "limit": 100}
    if "type" in kwargs:
        params["type"] = kwargs.pop("type")
    for event in api.v1.events.list(params, kwargs or None).auto_paging_iter():  # type: ignore[arg-type]
        yield event.to_dict()


def reconcile(
    conn: psycopg.Connection,
    api: stripe.StripeClient,
    since: dt.datetime,
    *,
    connect: bool = True,
    on_event: Callable[[str, dict[str, Any], bool], None] = lambda _p, _e, _n: None,
) -> Report:
    """Store every event since ``since`` we do not have yet, then run the webhook worker once."""
    report = Report()

    def feed(provider: str, events: Iterable[dict[str, Any]]) -> None:
        for event in events:
            new = _store(conn, provider, event)
            report.listed += 1
            report.new += new
            on_event(provider, event, new)

    feed("stripe", _events(api, since))
    if connect:
        accounts = conn.execute("select stripe_account_id from public.payout_accounts order by dj_id")
        for (account,) in accounts.fetchall():
            report.accounts += 1
            feed("stripe_connect", _events(api, since, type="account.updated", stripe_account=account))
    while True:  # batches of 100 until only events waiting for a retry are left
        row = conn.execute("select private.process_webhook_events()").fetchone()
        done = int(row[0]) if row and row[0] is not None else 0
        report.processed += done
        if done == 0:
            return report
