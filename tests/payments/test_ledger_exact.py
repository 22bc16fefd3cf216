"""Exact fee shares and forward-only dispute states: refunds in any number of steps, and dispute
events in any order, end in the same books, and private.ledger_check() sees any per-tip drift."""

from __future__ import annotations

import itertools
import random
from typing import Any

import psycopg
import pytest

from tests.payments.test_tips_ledger import Tip, deliver, sound
from tests.support.api import Api

SEED = 18  # fixed: a failure reproduces


@pytest.fixture
def tip(db: psycopg.Connection, api: Api) -> Tip:
    return Tip(db, api)


def books(db: psycopg.Connection, tip: Tip) -> dict[str, int]:
    """What each side holds of this tip: the DJ (available + held), the platform, Stripe."""
    rows = db.execute(
        "select case when account like 'dj%%' then 'dj' else account end, sum(amount)::bigint"
        " from private.ledger_entries where tip_id = %s group by 1",
        (tip.id,),
    ).fetchall()
    return {"dj": 0, "platform_fees": 0, "stripe": 0} | dict(rows)


def dispute_status(db: psycopg.Connection, tip: Tip) -> str | None:
    row = db.execute("select dispute_status from public.tips where id = %s", (tip.id,)).fetchone()
    assert row is not None
    return None if row[0] is None else str(row[0])


def test_a_tip_refunded_in_steps_gives_back_exactly_the_fee(db: psycopg.Connection, tip: Tip) -> None:
    """1,000 with fee 100, refunded 5 then the rest: each step rounding on its own left DJ +1, fees -1."""
    deliver(db, tip.succeeded(), tip.refunded(5, at=10))
    assert books(db, tip) == {"dj": 900 - (5 - 1), "platform_fees": 99, "stripe": -995}
    deliver(db, tip.refunded(1_000, at=20))
    assert books(db, tip) == {"dj": 0, "platform_fees": 0, "stripe": 0}
    assert tip.state() == ("refunded", 1_000, 0)
    assert sound(db) == []


def refund_steps(rng: random.Random, amount: int) -> list[int]:
    """Cumulative refunded amounts of a random partial-refund sequence ending at ``amount``."""
    cuts = sorted(rng.sample(range(1, amount), k=min(amount - 1, rng.randint(1, 6))))
    return [*cuts, amount]


@pytest.mark.parametrize("case", range(20))
def test_any_refund_steps_in_any_order_keep_the_books_exact(
    db: psycopg.Connection, api: Api, case: int
) -> None:
    rng = random.Random(SEED * 1_000 + case)
    amount = rng.choice([7, 99, 1_000, 1_001, 4_999, rng.randint(50, 99_999)])
    fee = amount * rng.choice([333, 1_000, 1_250, 1_999]) // 10_000
    tip = Tip(db, api, amount=amount, fee=fee)
    steps = refund_steps(rng, amount)
    events = [tip.refunded(cumulative, at=10 + n) for n, cumulative in enumerate(steps)]
    rng.shuffle(events)
    deliver(db, tip.succeeded())
    for event in events:
        deliver(db, event)
        refunded = tip.state()[1]
        # The platform has given back exactly its share of what was refunded so far, whatever the steps.
        share = (2 * fee * refunded + amount) // (2 * amount)  # round half up, as numeric round()
        assert books(db, tip)["platform_fees"] == fee - share, (steps, refunded)
        assert sound(db) == [], "clean after every step"
    assert books(db, tip) == {"dj": 0, "platform_fees": 0, "stripe": 0}, steps


def test_ledger_check_reports_a_drift_between_the_dj_and_the_platform(
    db: psycopg.Connection, tip: Tip
) -> None:
    """A balanced movement that moves one unit from the platform to the DJ: nothing sums wrong, but
    the split no longer matches the charge and its refunds."""
    deliver(db, tip.succeeded(), tip.refunded(400))
    assert sound(db) == []
    db.execute(
        "insert into private.ledger_entries (tip_id, movement, account, amount, currency, event_id)"
        " values (%s, 'planted', 'platform_fees', -1, 'usd', 'evt_planted'), (%s, 'planted', %s, 1, 'usd', 'evt_planted')",
        (tip.id, tip.id, f"dj:{tip.dj.id}"),
    )
    problems = sound(db)
    assert [tip_id for tip_id, _ in problems] == [tip.id]
    assert problems[0][1] == "split dj 541 / platform fees 59 <> expected 540 / 60"


def test_a_late_dispute_opening_never_reopens_a_won_dispute(db: psycopg.Connection, tip: Tip) -> None:
    deliver(db, tip.succeeded(), tip.dispute("won", at=40, closed=True))
    deliver(db, tip.dispute("needs_response", at=20))  # older, delivered late
    assert dispute_status(db, tip) == "won"
    assert books(db, tip)["dj"] == 900, "released, not held again"
    assert sound(db) == []


def dispute_updated(tip: Tip, status: str, at: int) -> dict[str, Any]:
    event = tip.dispute(status, at=at)
    event["type"] = "charge.dispute.updated"
    return event


@pytest.mark.parametrize("outcome", ["won", "lost"])
def test_dispute_events_in_every_order_end_in_the_same_state(
    db: psycopg.Connection, api: Api, outcome: str
) -> None:
    """Opened, under review and closed, the last two in the same second (Stripe's ``created``
    ties): every arrival order ends closed, with the same books."""
    finals = set()
    for order in itertools.permutations(range(3)):
        tip = Tip(db, api)
        events = [tip.dispute("needs_response", at=20), dispute_updated(tip, "under_review", at=30),
                  tip.dispute(outcome, at=30, closed=True)]  # fmt: skip
        deliver(db, tip.succeeded())
        for i in order:
            deliver(db, events[i])
            assert sound(db) == [], order
        finals.add((dispute_status(db, tip), tip.state(), tuple(sorted(books(db, tip).items()))))
    expected_dj = 900 if outcome == "won" else 0
    assert finals == {(outcome, ("succeeded", 0, 0 if outcome == "won" else 1_000),
                       (("dj", expected_dj), ("platform_fees", 100 if outcome == "won" else 0),
                        ("stripe", -1_000 if outcome == "won" else 0)))}  # fmt: skip


def test_an_inquiry_escalates_forward_and_its_close_releases_the_hold(
    db: psycopg.Connection, api: Api
) -> None:
    escalated, closed = Tip(db, api), Tip(db, api)
    deliver(db, escalated.succeeded(), escalated.dispute("warning_needs_response", at=10))
    deliver(db, dispute_updated(escalated, "needs_response", at=20))
    deliver(db, dispute_updated(escalated, "warning_under_review", at=30))  # cannot go back to an inquiry
    assert dispute_status(db, escalated) == "needs_response"
    deliver(db, closed.succeeded(), closed.dispute("warning_needs_response", at=10))
    deliver(db, closed.dispute("warning_closed", at=20, closed=True))
    assert (dispute_status(db, closed), books(db, closed)["dj"]) == ("warning_closed", 900)
    assert sound(db) == []
