"""Verified but malformed webhook deliveries (issue 17 §6): each one, correctly signed (Stripe:
the stripe library's own signing) or authorized (RevenueCat), answers 400 ``WHBAD`` with one
log line and stores nothing, where it used to answer 500; well-formed events at the edges of
the bounds are still stored exactly as sent."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import FreshDb
from tests.payments.test_webhook_intake import (
    PLATFORM,
    REVENUECAT,
    client_for,
    ledger,
    revenuecat_event,
    signed,
    stripe_event,
)
from whatssound_svc.payments import events

#: Raw JSON text that json.dumps cannot write: the case puts raw(name) where it goes.
RAW = {
    "1e400": "1e400",  # Python reads it as infinity
    "nested 100 deep": "[" * 100 + "]" * 100,
    "nested 5000 deep": "[" * 5000 + "]" * 5000,  # beyond the json module's recursion limit
}
NOW = int(time.time())
Mutation = Callable[[dict[str, Any], str], dict[str, Any] | bytes]


@pytest.fixture
def client(fresh_db: FreshDb) -> Iterator[TestClient]:
    with client_for(fresh_db.url()) as test_client:
        yield test_client


def raw(name: str) -> str:
    return f"<<{name}>>"


def without(event: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in event.items() if k != key}


def in_unit(key: str, seconds: float) -> int:
    """``seconds`` in the unit of the provider's time field (Stripe: s, RevenueCat: ms)."""
    return int(seconds * 1000 if key == "event_timestamp_ms" else seconds)


def nested(key: str, depth: int) -> Any:
    """Lists that bring the body to ``depth`` levels (RevenueCat's event is one level down)."""
    lists = depth - (2 if key == "event_timestamp_ms" else 1)
    return json.loads("[" * lists + "]" * lists)


# Each case gets the provider's event (Stripe: the body, RevenueCat: its "event") and the name of
# its time field, and returns the event to send, or a whole body as bytes.
SHARED: dict[str, Mutation] = {
    # Ids and types must fit char_length between 1 and 255 (23514 otherwise).
    "id of 304 characters": lambda e, t: e | {"id": "evt_" + "x" * 300},
    "id empty": lambda e, t: e | {"id": ""},
    "id a number": lambda e, t: e | {"id": 12345},
    "id missing": lambda e, t: without(e, "id"),
    "type of 500 characters": lambda e, t: e | {"type": "x" * 500},
    "type a list": lambda e, t: e | {"type": ["RENEWAL"]},
    "type missing": lambda e, t: without(e, "type"),
    # The event time: integer seconds / ms, from 2010 to a day ahead (datetime overflowed).
    "time not a number": lambda e, t: e | {t: "yesterday"},
    "time 1e20 (a float)": lambda e, t: e | {t: 1e20},
    "time 10**20 (an integer)": lambda e, t: e | {t: 10**20},
    "time negative": lambda e, t: e | {t: -1},
    "time zero": lambda e, t: e | {t: 0},
    "time true": lambda e, t: e | {t: True},
    "time a fraction": lambda e, t: e | {t: in_unit(t, NOW) + 0.5},
    "time a week ahead": lambda e, t: e | {t: in_unit(t, NOW + 7 * 86400)},
    "time missing": without,
    # What jsonb and text refuse (22P05, 22P02).
    "NUL in a value": lambda e, t: e | {"note": "a\x00b"},
    "NUL in a key": lambda e, t: e | {"a\x00b": 1},
    "NUL in the id": lambda e, t: e | {"id": e["id"] + "\x00"},
    "unpaired surrogate": lambda e, t: e | {"note": "\ud800"},
    "NaN": lambda e, t: e | {"note": float("nan")},
    "Infinity": lambda e, t: e | {"note": float("-inf")},
    "1e400": lambda e, t: e | {"note": raw("1e400")},
    "nested 100 deep": lambda e, t: e | {"note": raw("nested 100 deep")},
    "nested 5000 deep": lambda e, t: e | {"note": raw("nested 5000 deep")},
    # The body itself.
    "not UTF-8": lambda e, t: b'{"id": "evt_\xff\xfe", "note": "caf\xe9"}',
    "a JSON array": lambda e, t: b"[]",
    "a JSON string": lambda e, t: b'"evt_1"',
    "a JSON number": lambda e, t: b"1e400",
    "a 5000-digit integer": lambda e, t: b'{"id": ' + b"9" * 5000 + b"}",
}
STRIPE_ONLY: dict[str, Mutation] = {
    "id not an evt_ id": lambda e, t: e | {"id": "ch_3PxYz"},
    "id only the prefix": lambda e, t: e | {"id": "evt_"},
    "object a v2 thin event": lambda e, t: e | {"object": "v2.core.event"},
    "object missing": lambda e, t: without(e, "object"),
    "livemode a string": lambda e, t: e | {"livemode": "false"},
    "livemode missing": lambda e, t: without(e, "livemode"),
    "account a number": lambda e, t: e | {"account": 42},
    "account not an acct_ id": lambda e, t: e | {"account": "x" * 300},
}
REVENUECAT_ONLY: dict[str, Mutation] = {
    "time in seconds, not ms": lambda e, t: e | {t: NOW},
    "no event": lambda e, t: b'{"api_version": "1.0"}',
    "event a string": lambda e, t: b'{"api_version": "1.0", "event": "RENEWAL"}',
}
CASES = [
    *(pytest.param("stripe", f, id=f"stripe: {name}") for name, f in (SHARED | STRIPE_ONLY).items()),
    *(pytest.param("revenuecat", f, id=f"revenuecat: {name}") for name, f in (SHARED | REVENUECAT_ONLY).items()),
]  # fmt: skip


def body_of(provider: str, event: dict[str, Any]) -> bytes:
    """The delivery carrying ``event`` (RevenueCat wraps it), with the raw JSON put in place."""
    text = json.dumps(event if provider == "stripe" else {"api_version": "1.0", "event": event})
    for name, value in RAW.items():
        text = text.replace(json.dumps(raw(name)), value)
    return text.encode()


def deliver(client: TestClient, provider: str, body: bytes) -> Any:
    """POST ``body`` with a valid signature (Stripe, over the exact bytes) or Authorization."""
    if provider == "revenuecat":
        return client.post("/webhooks/revenuecat", content=body, headers={"authorization": REVENUECAT})
    stamp = int(time.time())
    signature = hmac.new(PLATFORM.encode(), b"%d." % stamp + body, hashlib.sha256).hexdigest()
    return client.post(
        "/webhooks/stripe", content=body, headers={"stripe-signature": f"t={stamp},v1={signature}"}
    )


def base_event(provider: str) -> tuple[dict[str, Any], str]:
    if provider == "stripe":
        return json.loads(stripe_event()), "created"
    return json.loads(revenuecat_event())["event"], "event_timestamp_ms"


@pytest.mark.parametrize(("provider", "mutate"), CASES)
def test_a_verified_but_malformed_delivery_answers_400_and_stores_nothing(
    client: TestClient, fresh_db: FreshDb, caplog: pytest.LogCaptureFixture, provider: str, mutate: Mutation
) -> None:
    event, time_key = base_event(provider)
    sent = mutate(event, time_key)
    body = sent if isinstance(sent, bytes) else body_of(provider, sent)
    with caplog.at_level(logging.WARNING, logger="whatssound_svc.payments.intake"):
        response = deliver(client, provider, body)
    assert (response.status_code, response.json()["code"]) == (400, "WHBAD"), response.text
    [record] = [r for r in caplog.records if r.name == "whatssound_svc.payments.intake"]
    logged = vars(record)
    assert (record.getMessage(), logged["provider"], logged["code"], logged["reason"]) == (
        "webhook refused: WHBAD", provider, "WHBAD", response.json()["message"],
    )  # fmt: skip
    assert ledger(fresh_db) == []


# Well-formed events at the edges of the bounds are stored exactly as sent.
EDGES: dict[str, Mutation] = {
    "id and type of 255 characters": lambda e, t: e | {"id": e["id"][:4] + "x" * 251, "type": "y" * 255},
    "time on the earliest day": lambda e, t: e | {t: in_unit(t, events.EARLIEST.timestamp())},
    "time an hour ahead": lambda e, t: e | {t: in_unit(t, NOW + 3600)},
    "non-ASCII text and emoji": lambda e, t: e | {"note": "Café \U0001f3a7 ñ \u4e2d \uffff"},
    "huge but finite numbers": lambda e, t: e | {"big": 10**300, "tiny": -1e-300, "float": 12.5},
    "nested as deep as allowed": lambda e, t: e | {"note": nested(t, events.MAX_DEPTH)},
}


@pytest.mark.parametrize(
    ("provider", "mutate"),
    [pytest.param(p, f, id=f"{p}: {name}") for p in ("stripe", "revenuecat") for name, f in EDGES.items()],
)
def test_well_formed_events_at_the_bounds_are_stored_as_sent(
    client: TestClient, fresh_db: FreshDb, provider: str, mutate: Mutation
) -> None:
    event, time_key = base_event(provider)
    sent = mutate(event, time_key)
    assert isinstance(sent, dict)
    response = deliver(client, provider, body_of(provider, sent))
    assert (response.status_code, response.json()) == (200, {"received": True, "duplicate": False})
    with fresh_db.connect() as conn:
        row = conn.execute("select event_id, event_type, payload from private.webhook_events").fetchone()
    assert row == (sent["id"], sent["type"], sent)


@pytest.mark.parametrize("provider", ["stripe", "revenuecat"])
def test_a_forged_malformed_delivery_is_refused_as_forged(client: TestClient, provider: str) -> None:
    """The signature (Authorization) is checked first: it answers what it answered before."""
    body = b'{"id": "evt_' + b"x" * 300 + b'", "created": 1e20, "note": "\\u0000"}'
    if provider == "stripe":
        response = client.post("/webhooks/stripe", content=body, headers=signed(stripe_event()))
        assert (response.status_code, response.json()["code"]) == (400, "WHSIG")
    else:
        response = client.post("/webhooks/revenuecat", content=body, headers={"authorization": "Bearer x"})
        assert (response.status_code, response.json()["code"]) == (401, "WHAUT")
