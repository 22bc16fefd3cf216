"""A DJ's payout readiness ends as Stripe has it, whatever the order of its account.updated events,
even two in the same second (Stripe's ``created`` has one-second resolution): every update has the
worker re-read the account (``GET /v1/accounts/{id}``)."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest

from tests.conftest import FreshDb
from tests.jobs.test_queue import work
from tests.payments import fake_stripe
from tests.payments.test_tips_ledger import deliver
from tests.support.api import make_dj
from whatssound_svc.jobs import queue

SEED = 18


@pytest.fixture
def stripe(environ: Callable[..., None]) -> Iterator[fake_stripe.FakeStripe]:
    with fake_stripe.running(rate_per_second=1_000) as fake:
        environ(
            WHATSSOUND_PAYMENTS_STRIPE_SECRET_KEY=fake_stripe.KEY, WHATSSOUND_PAYMENTS_STRIPE_API_URL=fake.url
        )
        yield fake


@pytest.fixture
def conn(fresh_db: FreshDb) -> Iterator[psycopg.Connection]:
    with fresh_db.connect("supabase_admin") as c:
        yield c


def onboarded(conn: psycopg.Connection, stripe: fake_stripe.FakeStripe) -> str:
    """A DJ with an Express account, recorded as the onboarding function does."""
    dj, account = make_dj(conn), stripe.express_account()
    conn.execute(
        "insert into public.payout_accounts (dj_id, stripe_account_id) values (%s, %s)", (dj.id, account)
    )
    return account


def readiness(conn: psycopg.Connection, account: str) -> tuple[Any, ...]:
    row = conn.execute(
        "select charges_enabled, payouts_enabled, requirements_due from public.payout_accounts"
        " where stripe_account_id = %s",
        (account,),
    ).fetchone()
    assert row is not None
    return row[0], row[1], tuple(row[2])


def test_two_updates_in_the_same_second_end_as_stripe_has_the_account(
    conn: psycopg.Connection, fresh_db: FreshDb, stripe: fake_stripe.FakeStripe
) -> None:
    account = onboarded(conn, stripe)
    off = stripe.set_charges(account, False)
    on = stripe.set_charges(account, True)
    on["created"] = off["created"]  # the same second: the events alone cannot order them
    deliver(conn, off, on)
    work(queue.make_app(fresh_db.url()))
    assert readiness(conn, account) == (True, True, ())
    reads = [r for r in stripe.requests if r[:2] == ("GET", f"/v1/accounts/{account}")]
    assert reads, "the worker asked Stripe"


def test_every_arrival_order_of_same_second_updates_ends_in_stripes_state(
    conn: psycopg.Connection, fresh_db: FreshDb, stripe: fake_stripe.FakeStripe
) -> None:
    """Three updates, all in one second, delivered in each of the 6 orders with the worker running in
    between: each account ends as Stripe has it (the last change made there)."""
    rng = random.Random(SEED)
    finals = set()
    for order in itertools.permutations(range(3)):
        account = onboarded(conn, stripe)
        changes = [rng.random() < 0.5, rng.random() < 0.5, True]
        events = [stripe.set_charges(account, enabled) for enabled in changes]
        for event in events:
            event["created"] = events[0]["created"]
        for i in order:
            deliver(conn, events[i])
            work(queue.make_app(fresh_db.url()))
        finals.add(readiness(conn, account))
    assert finals == {(True, True, ())}


def test_a_read_is_not_undone_by_an_older_update_delivered_late(
    conn: psycopg.Connection, fresh_db: FreshDb, stripe: fake_stripe.FakeStripe
) -> None:
    account = onboarded(conn, stripe)
    stale = stripe.set_charges(account, False)
    stale["created"] -= 60
    deliver(conn, stripe.set_charges(account, True))
    work(queue.make_app(fresh_db.url()))
    deliver(conn, stale)  # older than the read: ignored, and the re-read it asks for agrees
    assert readiness(conn, account) == (True, True, ())
    work(queue.make_app(fresh_db.url()))
    assert readiness(conn, account) == (True, True, ())


def test_without_the_stripe_key_events_alone_decide(
    conn: psycopg.Connection,
    fresh_db: FreshDb,
    environ: Callable[..., None],
    caplog: pytest.LogCaptureFixture,
) -> None:
    with fake_stripe.running() as fake:
        account = onboarded(conn, fake)
        environ(WHATSSOUND_PAYMENTS_STRIPE_SECRET_KEY=None)
        deliver(conn, fake.activate(account))
        work(queue.make_app(fresh_db.url()))
        assert not [r for r in fake.requests if r[0] == "GET"]
    assert readiness(conn, account) == (True, True, ()), "the newer event applied"
    assert "payout account not re-read: WHATSSOUND_PAYMENTS_STRIPE_SECRET_KEY is not set" in caplog.text


def test_an_account_stripe_no_longer_knows_is_logged_and_left_as_it_is(
    conn: psycopg.Connection,
    fresh_db: FreshDb,
    stripe: fake_stripe.FakeStripe,
    caplog: pytest.LogCaptureFixture,
) -> None:
    account = onboarded(conn, stripe)
    event = stripe.activate(account)
    del stripe.accounts[account]  # the platform lost access to it: GET answers 404 resource_missing
    deliver(conn, event)
    work(queue.make_app(fresh_db.url()))
    assert readiness(conn, account) == (True, True, ()), "the event's state stays"
    assert "payout account not found at Stripe: left as it is" in caplog.text
    failed = conn.execute(
        "select count(*) from procrastinate.procrastinate_jobs where task_name = 'payments:refresh_account'"
        " and status <> 'succeeded'"
    ).fetchone()
    assert failed == (0,), "not retried: there is nothing to wait for"
