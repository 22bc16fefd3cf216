"""Stripe events move tips and write a double-entry ledger that always balances and matches the
tips, whatever order, duplication or delay the events arrive with."""

from __future__ import annotations

import itertools
import json
import uuid
from typing import Any

import psycopg
import pytest

from tests.support.api import Api, make_dj, make_session
from tests.support.gotrue import as_role, create_user
from tests.support.postgrest import as_user

T0 = 1_900_000_000


class Tip:
    """A pending tip as the create-tip function records it, and the Stripe events about it."""

    def __init__(self, db: psycopg.Connection, api: Api, amount: int = 1_000, fee: int = 100) -> None:
        self.db, self.amount, self.fee = db, amount, fee
        self.dj = make_dj(db)
        session = make_session(api, self.dj)
        self.tipper = create_user(db)
        self.pi = f"pi_{uuid.uuid4().hex[:20]}"
        row = db.execute(
            "insert into public.tips (session_id, dj_id, tipper_id, amount, currency, fee_amount, payment_intent_id)"
            " values (%s, %s, %s, %s, 'usd', %s, %s) returning id",
            (session["id"], self.dj.id, self.tipper.id, amount, fee, self.pi),
        ).fetchone()
        assert row is not None
        self.id = row[0]

    def event(self, kind: str, at: int, obj: dict[str, Any]) -> dict[str, Any]:
        return {"id": f"evt_{uuid.uuid4().hex[:20]}", "type": kind, "created": T0 + at, "livemode": True,
                "data": {"object": obj}}  # fmt: skip

    def succeeded(self, at: int = 0) -> dict[str, Any]:
        return self.event("payment_intent.succeeded", at, {
            "id": self.pi, "object": "payment_intent", "amount": self.amount, "amount_received": self.amount,
            "application_fee_amount": self.fee, "latest_charge": "ch_1", "metadata": {"tip_id": str(self.id)},
        })  # fmt: skip

    def failed(self, at: int = 0) -> dict[str, Any]:
        return self.event("payment_intent.payment_failed", at, {
            "id": self.pi, "object": "payment_intent", "metadata": {"tip_id": str(self.id)},
            "last_payment_error": {"code": "card_declined"},
        })  # fmt: skip

    def refunded(self, cumulative: int, at: int = 10) -> dict[str, Any]:
        return self.event("charge.refunded", at, {
            "id": "ch_1", "object": "charge", "payment_intent": self.pi, "amount_refunded": cumulative,
            "refunded": cumulative == self.amount,
        })  # fmt: skip

    def dispute(self, status: str, at: int = 20, closed: bool = False) -> dict[str, Any]:
        kind = "charge.dispute.closed" if closed else "charge.dispute.created"
        return self.event(kind, at, {"id": "dp_1", "object": "dispute", "payment_intent": self.pi,
                                     "amount": self.amount, "status": status})  # fmt: skip

    def state(self) -> tuple[str, int, int]:
        row = self.db.execute(
            "select status::text, amount_refunded, amount_lost from public.tips where id = %s", (self.id,)
        ).fetchone()
        assert row is not None
        return row

    def dj_balance(self) -> int:
        row = self.db.execute(
            "select coalesce(sum(amount), 0) from private.ledger_entries where account = %s",
            (f"dj:{self.dj.id}",),
        ).fetchone()
        assert row is not None
        return int(row[0])


def deliver(db: psycopg.Connection, *events: dict[str, Any]) -> None:
    """Store as the intake does and run the worker, letting anything that waits retry at once."""
    for e in events:
        db.execute(
            "select private.record_webhook_event('stripe', %s, %s, true, null, to_timestamp(%s), %s)",
            (e["id"], e["type"], e["created"], json.dumps(e)),
        )
    db.execute("update private.webhook_events set next_attempt_at = now() where handled_at is null")
    db.execute("select private.process_webhook_events()")


def sound(db: psycopg.Connection) -> list[tuple[Any, ...]]:
    return db.execute("select * from private.ledger_check()").fetchall()


@pytest.fixture
def tip(db: psycopg.Connection, api: Api) -> Tip:
    return Tip(db, api)


def test_a_succeeded_tip_pays_the_dj_less_the_fee_once(db: psycopg.Connection, tip: Tip) -> None:
    success = tip.succeeded()
    deliver(db, success)
    deliver(db, success)  # a duplicate delivery
    assert tip.state() == ("succeeded", 0, 0)
    assert tip.dj_balance() == 900
    assert sound(db) == []


def test_partial_refunds_in_any_order_then_a_full_one(db: psycopg.Connection, tip: Tip) -> None:
    deliver(db, tip.succeeded())
    deliver(db, tip.refunded(600, at=20))
    deliver(db, tip.refunded(200, at=10))  # older, smaller cumulative amount: nothing new
    assert tip.state() == ("succeeded", 600, 0)
    assert tip.dj_balance() == 900 - (600 - 60)
    deliver(db, tip.refunded(1_000, at=30))
    assert tip.state() == ("refunded", 1_000, 0)
    assert tip.dj_balance() == 0
    assert sound(db) == []


def test_a_refund_before_the_success_waits_and_is_not_lost(db: psycopg.Connection, tip: Tip) -> None:
    refund = tip.refunded(1_000)
    deliver(db, refund)
    row = db.execute(
        "select handled_at is null, attempts, last_error from private.webhook_events where event_id = %s",
        (refund["id"],),
    ).fetchone()
    assert row is not None
    assert row[:2] == (True, 1)
    assert "Not yet" in row[2]
    deliver(db, tip.succeeded())
    deliver(db)  # the waiting refund's retry
    assert tip.state() == ("refunded", 1_000, 0)
    assert sound(db) == []


def test_disputes_hold_the_djs_share_then_release_or_charge_it_back(db: psycopg.Connection, api: Api) -> None:
    won, lost = Tip(db, api), Tip(db, api)
    for t in (won, lost):
        deliver(db, t.succeeded(), t.dispute("needs_response"))
        assert t.dj_balance() == 0, "held while disputed"
    deliver(db, won.dispute("won", at=40, closed=True))
    deliver(db, lost.dispute("lost", at=40, closed=True))
    assert (won.dj_balance(), won.state()) == (900, ("succeeded", 0, 0))
    assert (lost.dj_balance(), lost.state()) == (0, ("succeeded", 0, 1_000))
    assert sound(db) == []


def test_a_dispute_closed_before_it_was_seen_opening_still_balances(db: psycopg.Connection, tip: Tip) -> None:
    deliver(db, tip.succeeded(), tip.dispute("lost", closed=True))
    deliver(db, tip.dispute("needs_response", at=5))  # the late opening changes nothing
    assert tip.state() == ("succeeded", 0, 1_000)
    assert sound(db) == []


def test_a_failure_never_undoes_a_success(db: psycopg.Connection, tip: Tip) -> None:
    deliver(db, tip.failed(at=0))
    assert tip.state()[0] == "failed"
    deliver(db, tip.succeeded(at=5))  # the listener retried with another card
    deliver(db, tip.failed(at=1))  # a stale failure
    assert tip.state()[0] == "succeeded"
    assert sound(db) == []


@pytest.mark.parametrize("order", list(itertools.permutations(range(4))))
def test_any_interleaving_ends_balanced_and_in_the_right_state(
    db: psycopg.Connection, api: Api, order: tuple[int, ...]
) -> None:
    tip = Tip(db, api)
    events = [tip.succeeded(), tip.refunded(300, at=10), tip.refunded(1_000, at=20), tip.succeeded()]
    for i in order:
        deliver(db, events[i])
        assert sound(db) == [], "balanced after every step"
    deliver(db)
    assert tip.state() == ("refunded", 1_000, 0)
    assert tip.dj_balance() == 0


def test_payout_readiness_comes_only_from_newer_account_updates(db: psycopg.Connection) -> None:
    dj = make_dj(db)
    db.execute(
        "insert into public.payout_accounts (dj_id, stripe_account_id) values (%s, 'acct_1DJ')", (dj.id,)
    )

    def update(at: int, enabled: bool) -> dict[str, Any]:
        return {"id": f"evt_{uuid.uuid4().hex}", "type": "account.updated", "created": T0 + at, "account": "acct_1DJ",
                "data": {"object": {"id": "acct_1DJ", "charges_enabled": enabled, "payouts_enabled": enabled,
                                    "details_submitted": True, "requirements": {"currently_due": []}}}}  # fmt: skip

    deliver(db, update(10, True))
    deliver(db, update(5, False))  # older
    assert db.execute("select charges_enabled, payouts_enabled from public.payout_accounts").fetchone() == (
        True,
        True,
    )


def test_events_about_other_payments_are_ignored(db: psycopg.Connection) -> None:
    other = {"id": "evt_x", "type": "payment_intent.succeeded", "created": T0, "livemode": True,
             "data": {"object": {"id": "pi_not_a_tip", "amount": 100, "metadata": {}}}}  # fmt: skip
    deliver(db, other)
    assert db.execute(
        "select handled_at is not null from private.webhook_events where event_id = 'evt_x'"
    ).fetchone() == (True,)


def test_a_dj_sees_their_balance_and_nobody_else_does(db: psycopg.Connection, api: Api, tip: Tip) -> None:
    deliver(db, tip.succeeded(), tip.dispute("needs_response"))
    other = Tip(db, api)
    deliver(db, other.succeeded())
    assert api(tip.dj, "my_tip_balance") == [{"currency": "usd", "available": 0, "held": 900}]
    assert api(tip.tipper, "my_tip_balance") == []


def test_only_the_tipper_and_the_dj_see_a_tip(db: psycopg.Connection, tip: Tip) -> None:
    stranger = create_user(db)
    for who, expected in ((tip.tipper, 1), (tip.dj, 1), (stranger, 0)):
        with as_user(db, who):
            assert db.execute("select count(*) from public.tips").fetchone() == (expected,)
    with pytest.raises(psycopg.errors.InsufficientPrivilege), as_user(db, tip.tipper):
        db.execute("update public.tips set status = 'succeeded'")


def test_deleting_the_tipper_and_the_dj_keeps_the_ledger_balanced(
    db: psycopg.Connection, api: Api, tip: Tip
) -> None:
    deliver(db, tip.succeeded(), tip.refunded(400))
    for user in (tip.tipper, tip.dj):
        api(user, "delete_my_account")
    with as_role(db, "postgres"):
        assert db.execute("select private.process_account_deletions()").fetchone() == (2,)
    row = db.execute("select tipper_id, dj_id, session_id, status::text, amount_refunded from public.tips where id = %s",
                     (tip.id,)).fetchone()  # fmt: skip
    assert row == (None, None, None, "succeeded", 400), "the tip stays, its people detached"
    assert sound(db) == []
    assert tip.dj_balance() == 900 - 360, "the books still show what was paid out"
