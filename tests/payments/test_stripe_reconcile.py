"""``whatssound reconcile stripe``: events we never received are fetched from Stripe's event list and
go through the same ledger path as webhooks; running it again changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import psycopg
import pytest
from typer.testing import CliRunner

from tests.conftest import FreshDb
from tests.payments import fake_stripe
from tests.payments.test_tips_ledger import Tip
from tests.support.api import Api, make_dj
from whatssound_svc.cli import app as cli
from whatssound_svc.payments import stripe_reconcile


@pytest.fixture
def stripe() -> Iterator[fake_stripe.FakeStripe]:
    with fake_stripe.running(rate_per_second=1_000) as fake:
        yield fake


def reconcile(
    db: psycopg.Connection, stripe: fake_stripe.FakeStripe, since: str = "3d"
) -> stripe_reconcile.Report:
    api = stripe_reconcile.client(fake_stripe.KEY, stripe.url)
    return stripe_reconcile.reconcile(db, api, stripe_reconcile.parse_window(since))


def test_a_missed_payment_is_recovered_once(
    db: psycopg.Connection, api: Api, stripe: fake_stripe.FakeStripe
) -> None:
    tip = Tip(db, api)
    stripe.intents[tip.pi] = tip.succeeded()["data"]["object"] | {"currency": "usd", "status": "succeeded"}
    stripe.succeed(tip.pi)
    report = reconcile(db, stripe)
    assert (report.listed, report.new, report.already_stored) == (1, 1, 0)
    assert tip.state() == ("succeeded", 0, 0)
    assert tip.dj_balance() == tip.amount - tip.fee
    again = reconcile(db, stripe)
    assert (again.listed, again.new, again.already_stored) == (1, 0, 1)
    assert tip.dj_balance() == tip.amount - tip.fee, "nothing is applied twice"
    deliveries = db.execute(
        "select deliveries from private.webhook_events where provider = 'stripe'"
    ).fetchall()
    assert deliveries == [(2,)]


def test_every_page_is_read_and_only_the_window(
    db: psycopg.Connection, stripe: fake_stripe.FakeStripe
) -> None:
    for n in range(230):
        stripe.event("customer.created", {"id": f"cus_{n}", "object": "customer"})
    stripe.event("customer.created", {"id": "cus_old", "object": "customer"})["created"] -= 5 * 86_400
    report = reconcile(db, stripe)
    assert (report.listed, report.new) == (230, 230), "three pages of 100, the 5-day-old event outside"
    pages = [r for r in stripe.requests if r[1] == "/v1/events"]
    assert len(pages) == 3
    assert all(r[3]["limit"] == "100" for r in pages)
    unhandled = db.execute("select count(*) from private.webhook_events where handled_at is null").fetchone()
    assert unhandled == (0,), "types we do not handle are stored and marked handled"


def test_connected_accounts_are_asked_for_their_account_updates(
    db: psycopg.Connection, stripe: fake_stripe.FakeStripe
) -> None:
    dj = make_dj(db)
    account = stripe.express_account()
    db.execute(
        "insert into public.payout_accounts (dj_id, stripe_account_id) values (%s, %s)", (dj.id, account)
    )
    stripe.activate(account)
    report = reconcile(db, stripe)
    assert (report.accounts, report.new) == (1, 1)
    stored = db.execute("select provider, account from private.webhook_events").fetchall()
    assert stored == [("stripe_connect", account)]
    ready = db.execute("select charges_enabled, payouts_enabled from public.payout_accounts where dj_id = %s",
                       (dj.id,)).fetchone()  # fmt: skip
    assert ready == (True, True)
    asked = [r for r in stripe.requests if r[1] == "/v1/events" and r[2].get("stripe-account") == account]
    assert asked
    assert asked[0][3]["type"] == "account.updated"


def test_windows_are_read_as_operators_write_them() -> None:
    now = dt.datetime(2030, 1, 10, tzinfo=dt.UTC)
    assert stripe_reconcile.parse_window("3d", now) == dt.datetime(2030, 1, 7, tzinfo=dt.UTC)
    assert stripe_reconcile.parse_window("90m", now) == dt.datetime(2030, 1, 9, 22, 30, tzinfo=dt.UTC)
    assert stripe_reconcile.parse_window("2030-01-01", now) == dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    with pytest.raises(ValueError, match="3d, 12h"):
        stripe_reconcile.parse_window("last week", now)


def test_the_operator_command(fresh_db: FreshDb, stripe: fake_stripe.FakeStripe) -> None:
    for n in range(3):
        stripe.event("customer.created", {"id": f"cus_{n}", "object": "customer"})
    env = {"DATABASE_URL": fresh_db.url(), "WHATSSOUND_PAYMENTS_STRIPE_SECRET_KEY": fake_stripe.KEY,
           "WHATSSOUND_PAYMENTS_STRIPE_API_URL": stripe.url, "COLUMNS": "200"}  # fmt: skip
    first = CliRunner().invoke(cli, ["reconcile", "stripe", "--since", "1d", "-v"], env=env)
    assert first.exit_code == 0, first.output
    assert "listed 3 events (0 connected accounts read): 3 new, 0 already stored; 3 processed" in first.output
    assert "new  stripe          " in first.output
    second = CliRunner().invoke(cli, ["reconcile", "stripe", "--since", "1d"], env=env)
    assert "3 events (0 connected accounts read): 0 new, 3 already stored" in second.output
    refused = CliRunner().invoke(
        cli, ["reconcile", "stripe"], env=env | {"WHATSSOUND_PAYMENTS_STRIPE_SECRET_KEY": "sk_test_wrong"}
    )
    assert refused.exit_code == 1
    assert "Stripe answered 401" in refused.output
    assert "run it again" in refused.output
    bad = CliRunner().invoke(cli, ["reconcile", "stripe", "--since", "yesterday"], env=env)
    assert bad.exit_code == 2
    assert "--since" in bad.output
