"""Experiment (a) of docs/faults.md: validly signed Stripe and RevenueCat deliveries, shuffled,
20 % of them twice, posted over HTTP to the service while PostgreSQL is stopped and started
again and the service is SIGKILLed and started again. The test plays the providers: anything
but 2xx (a 503, a cut connection) is retried until it is 2xx, as Stripe and RevenueCat do.

What is counted: deliveries sent and answered 2xx, answers that were not, events stored,
applied, doubled (stored twice or booked twice) and lost (acknowledged but absent), and the
books: every tip's status and ledger against what its refunds must leave, every subscriber's
entitlement against its newest event, ``private.ledger_check()``.
"""

from __future__ import annotations

import asyncio
import json
import random
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, LiteralString

import httpx2
import psycopg
import stripe

from tests.conftest import FreshDb
from tests.faults.stack import REVENUECAT_AUTHORIZATION, STRIPE_SECRET, Stack
from tests.payments.test_ledger_exact import books, refund_steps
from tests.payments.test_tips_ledger import T0, Tip
from tests.support.api import Api
from tests.support.gotrue import create_user

DAY_MS = 86_400_000


@dataclass(frozen=True)
class Size:
    """How big a storm: tips (each succeeded then refunded in 1-6 steps), subscribers (each an
    initial purchase and ``renewals`` renewals), the duplicate share, first sends per second, and
    how long the database stays down."""

    tips: int
    subscribers: int
    renewals: int = 2
    duplicates: float = 0.2
    rate: float = 150.0
    database_down_s: float = 3.0
    seed: int = 18


@dataclass
class Delivery:
    provider: str
    event_id: str
    body: bytes

    def headers(self) -> dict[str, str]:
        """Signed afresh for each attempt, as Stripe does (the signature is over the exact bytes)."""
        if self.provider == "revenuecat":
            return {"authorization": REVENUECAT_AUTHORIZATION, "content-type": "application/json"}
        signature = stripe.WebhookSignature.generate_signature_header(self.body.decode(), STRIPE_SECRET)
        return {"stripe-signature": signature, "content-type": "application/json"}

    @property
    def path(self) -> str:
        return f"/webhooks/{self.provider}"


@dataclass
class Counts:
    """What the storm did and what it left."""

    unique: int = 0
    sent: int = 0
    accepted: int = 0
    not_accepted: Counter[str] = field(default_factory=Counter)
    stored: int = 0
    applied: int = 0
    doubled: int = 0
    lost: int = 0
    undercounted: int = 0
    wrong_tips: int = 0
    wrong_entitlements: int = 0
    ledger_problems: list[tuple[Any, ...]] = field(default_factory=list)
    service_starts: int = 0
    #: Seconds from the first send to: database stopped, started, service killed, ready again,
    #: every delivery answered 2xx, every event applied.
    timeline: dict[str, float] = field(default_factory=dict)


@dataclass
class Plan:
    deliveries: list[Delivery]
    tips: list[tuple[Tip, int]]  # each tip and its final cumulative refund
    subscribers: dict[str, int]  # app user id -> expiration (ms) of its newest event


def _stripe(event: dict[str, Any], now: int) -> Delivery:
    """Tip's event, dated in the last day (the intake refuses dates more than a day ahead)."""
    event = event | {"object": "event", "created": now - 86_400 + event["created"] - T0}
    return Delivery("stripe", event["id"], json.dumps(event).encode())


def plan(conn: psycopg.Connection, size: Size) -> Plan:
    """Create the tips and subscribers, and the shuffled deliveries about them (duplicates too)."""
    rng = random.Random(size.seed)
    api, now = Api(conn), int(time.time())
    deliveries: list[Delivery] = []
    tips: list[tuple[Tip, int]] = []
    for _ in range(size.tips):
        amount = rng.choice([99, 1_000, 1_001, 4_999, rng.randint(50, 99_999)])
        tip = Tip(conn, api, amount=amount, fee=amount * rng.choice([1_000, 1_250, 1_999]) // 10_000)
        steps = refund_steps(rng, amount)[-rng.randint(1, 3) :]  # 1-3 steps, ending refunded or not
        steps = steps if rng.random() < 0.5 else steps[:-1] or steps
        deliveries.append(_stripe(tip.succeeded(), now))
        deliveries += [_stripe(tip.refunded(c, at=10 + n), now) for n, c in enumerate(steps)]
        tips.append((tip, steps[-1]))
    subscribers: dict[str, int] = {}
    start_ms = (now - 86_400) * 1000
    for _ in range(size.subscribers):
        user = str(create_user(conn).id)
        for n in range(size.renewals + 1):
            expires = start_ms + (n + 1) * 30 * DAY_MS
            event_id = str(uuid.uuid4()).upper()
            event = {
                "id": event_id, "type": "RENEWAL" if n else "INITIAL_PURCHASE",
                "event_timestamp_ms": start_ms + n * 60_000, "app_user_id": user, "environment": "PRODUCTION",
                "entitlement_ids": ["premium"], "expiration_at_ms": expires, "product_id": "premium_monthly",
            }  # fmt: skip
            body = json.dumps({"api_version": "1.0", "event": event}).encode()
            deliveries.append(Delivery("revenuecat", event_id, body))
        subscribers[user] = expires
    conn.commit()
    twice = rng.sample(deliveries, k=round(len(deliveries) * size.duplicates))
    deliveries += twice
    rng.shuffle(deliveries)
    return Plan(deliveries, tips, subscribers)


class Provider:
    """Sends each delivery at its turn and retries it (backing off) until it is answered 2xx."""

    def __init__(self, stack: Stack, size: Size) -> None:
        self.stack, self.size = stack, size
        self.accepted = 0
        self.acks: Counter[str] = Counter()
        self.not_accepted: Counter[str] = Counter()

    async def send_all(self, deliveries: list[Delivery]) -> None:
        limits = httpx2.Limits(max_connections=32)
        async with httpx2.AsyncClient(base_url=self.stack.base, timeout=15, limits=limits) as client:
            gate = asyncio.Semaphore(32)
            start = time.monotonic()

            async def one(n: int, delivery: Delivery) -> None:
                await asyncio.sleep(max(0.0, start + n / self.size.rate - time.monotonic()))
                for attempt in range(10_000):
                    async with gate:
                        try:
                            response = await client.post(
                                delivery.path, content=delivery.body, headers=delivery.headers()
                            )
                            outcome = str(response.status_code)
                        except httpx2.TransportError as exc:
                            outcome = type(exc).__name__
                    if outcome.startswith("2"):
                        self.accepted += 1
                        self.acks[delivery.event_id] += 1
                        return
                    self.not_accepted[outcome] += 1
                    await asyncio.sleep(min(5.0, 0.1 * 2 ** min(attempt, 6)) * random.uniform(0.5, 1))

            await asyncio.gather(*(one(n, d) for n, d in enumerate(deliveries)))


def _faults(stack: Stack, provider: Provider, total: int, size: Size, timeline: dict[str, float]) -> None:
    """Stop the database once a third is accepted, and SIGKILL the service at two thirds."""
    started = time.monotonic()

    def mark(what: str) -> None:
        timeline[what] = round(time.monotonic() - started, 2)

    while provider.accepted < total // 3:
        time.sleep(0.01)
    stack.database_down()
    mark("database stopped")
    time.sleep(size.database_down_s)
    stack.database_up()
    mark("database started")
    while provider.accepted < 2 * total // 3:
        time.sleep(0.01)
    stack.kill()
    mark("service killed")
    stack.start()
    mark("service ready")


def _settle(conn: psycopg.Connection, timeout: float = 120) -> None:
    """Let the service apply everything: events that wait for another (a refund before its
    success) are made due at once, as time passing would."""
    deadline = time.monotonic() + timeout
    while conn.execute("select count(*) from private.webhook_events where handled_at is null").fetchone() != (
        0,
    ):
        assert time.monotonic() < deadline, "events still unapplied"
        conn.execute(
            "update private.webhook_events set next_attempt_at = now()"
            " where handled_at is null and next_attempt_at > now()"
        )
        time.sleep(0.25)


def run(stack: Stack, db: FreshDb, size: Size) -> Counts:
    """The whole experiment on a running stack; returns the counts (the caller asserts them)."""
    with db.connect("supabase_admin", autocommit=False) as setup:
        setup.execute("set role postgres")
        storm = plan(setup, size)
    unique = len({d.event_id for d in storm.deliveries})
    provider = Provider(stack, size)
    timeline: dict[str, float] = {}
    failed: list[BaseException] = []

    def faults() -> None:
        try:
            _faults(stack, provider, len(storm.deliveries), size, timeline)
        except BaseException as exc:  # the test thread re-raises it
            failed.append(exc)
            raise

    thread = threading.Thread(target=faults, daemon=True)
    started = time.monotonic()
    thread.start()
    asyncio.run(provider.send_all(storm.deliveries))
    timeline["all answered 2xx"] = round(time.monotonic() - started, 2)
    thread.join(timeout=120)
    assert not thread.is_alive(), "the faults did not all happen"
    if failed:
        raise failed[0]
    with db.connect("supabase_admin") as conn:
        _settle(conn)
        timeline["all applied"] = round(time.monotonic() - started, 2)
        counts = Counts(unique=unique, sent=len(storm.deliveries), accepted=provider.accepted,
                        not_accepted=provider.not_accepted, service_starts=stack.starts, timeline=timeline)  # fmt: skip
        stored: dict[str, int] = dict(conn.execute(
            "select event_id, deliveries from private.webhook_events"
        ).fetchall())  # fmt: skip
        counts.stored = len(stored)
        counts.lost = len(set(provider.acks) - set(stored))
        counts.undercounted = len([e for e, n in provider.acks.items() if stored.get(e, 0) < n])
        counts.applied = _one(
            conn, "select count(*) from private.webhook_events where handled_at is not null"
        )
        counts.doubled = _one(
            conn,
            "select (select count(*) - count(distinct (provider, event_id)) from private.webhook_events)"
            " + (select count(*) from (select 1 from private.ledger_entries"
            "    group by tip_id, event_id, movement, account having count(*) > 1) as twice)",
        )
        counts.ledger_problems = conn.execute("select * from private.ledger_check()").fetchall()
        counts.wrong_tips = sum(1 for tip, refunded in storm.tips if not _tip_exact(conn, tip, refunded))
        counts.wrong_entitlements = sum(
            1 for user, expires in storm.subscribers.items() if _expires_ms(conn, user) != expires
        )
    return counts


def _one(conn: psycopg.Connection, query: LiteralString) -> int:
    row = conn.execute(query).fetchone()
    assert row is not None
    return int(row[0])


def _tip_exact(conn: psycopg.Connection, tip: Tip, refunded: int) -> bool:
    """The tip's status and books are what a refund of ``refunded`` in total must leave."""
    share = (2 * tip.fee * refunded + tip.amount) // (2 * tip.amount)  # round half up
    expected = {"dj": tip.amount - tip.fee - (refunded - share), "platform_fees": tip.fee - share,
                "stripe": refunded - tip.amount}  # fmt: skip
    tip.db = conn
    state = ("refunded" if refunded == tip.amount else "succeeded", refunded, 0)
    return tip.state() == state and books(conn, tip) == expected


def _expires_ms(conn: psycopg.Connection, user: str) -> int | None:
    row = conn.execute(
        "select (extract(epoch from expires_at) * 1000)::bigint from public.entitlements"
        " where user_id = %s and entitlement = 'premium'",
        (user,),
    ).fetchone()
    return None if row is None else int(row[0])
