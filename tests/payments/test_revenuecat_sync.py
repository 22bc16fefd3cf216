"""Re-sync from RevenueCat's subscriber API (a loopback fake): the API's view replaces ours,
grace periods and sandbox rules apply, strangers are never looked up (the API would create them),
and a webhook event older than the sync cannot undo it."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from tests.conftest import FreshDb
from tests.payments import fake_revenuecat
from tests.support.gotrue import create_user
from whatssound_svc.cli import app as cli
from whatssound_svc.payments import revenuecat as rc


@pytest.fixture
def fake() -> Iterator[fake_revenuecat.FakeRevenueCat]:
    with fake_revenuecat.running() as server:
        yield server


def entitlements(db: psycopg.Connection, user_id: object) -> dict[str, str | None]:
    rows = db.execute(
        "select entitlement, to_char(expires_at at time zone 'UTC', 'YYYY-MM-DD') from public.entitlements"
        " where user_id = %s order by 1",
        (user_id,),
    ).fetchall()
    return dict(rows)


def test_the_api_view_replaces_ours(db: psycopg.Connection, fake: fake_revenuecat.FakeRevenueCat) -> None:
    user = create_user(db)
    db.execute("insert into public.entitlements (user_id, entitlement, source, expires_at) values"
               " (%s, 'stale', 'revenuecat', now() + interval '9 days')", (user.id,))  # fmt: skip
    fake.subscribers[str(user.id)] = {
        "entitlements": {
            "premium": {"expires_date": "2031-01-01T00:00:00Z", "grace_period_expires_date": "2031-01-15T00:00:00Z",
                        "product_identifier": "premium_monthly"},
            "lifetime_badge": {"expires_date": None, "product_identifier": "badge"},
            "beta": {"expires_date": "2031-01-01T00:00:00Z", "product_identifier": "beta_sandbox"},
        },
        "subscriptions": {"premium_monthly": {"is_sandbox": False}, "beta_sandbox": {"is_sandbox": True}},
    }  # fmt: skip
    rc.resync(db, user.id, SecretStr(fake_revenuecat.KEY), fake.url)
    assert entitlements(db, user.id) == {"lifetime_badge": None, "premium": "2031-01-15"}, (
        "grace wins; sandbox dropped"
    )
    path, headers = fake.requests[-1]
    assert path == f"/v1/subscribers/{user.id}"
    assert "X-Platform" not in headers, "it would update the customer's last_seen"


def test_a_webhook_older_than_the_sync_cannot_undo_it(
    db: psycopg.Connection, fake: fake_revenuecat.FakeRevenueCat
) -> None:
    user = create_user(db)
    fake.subscribers[str(user.id)] = {"entitlements": {"premium": {"expires_date": "2031-01-01T00:00:00Z",
                                                                   "product_identifier": "p"}}, "subscriptions": {}}  # fmt: skip
    rc.resync(db, user.id, SecretStr(fake_revenuecat.KEY), fake.url)
    old = {"id": str(uuid.uuid4()), "type": "EXPIRATION", "event_timestamp_ms": 1_600_000_000_000,
           "app_user_id": str(user.id), "environment": "PRODUCTION", "entitlement_ids": ["premium"]}  # fmt: skip
    db.execute("select private.record_webhook_event('revenuecat', %s, 'EXPIRATION', true, null, now(), %s)",
               (old["id"], json.dumps(old)))  # fmt: skip
    db.execute("select private.process_webhook_events()")
    assert entitlements(db, user.id) == {"premium": "2031-01-01"}


def test_strangers_are_never_looked_up_and_errors_are_reported(
    db: psycopg.Connection, fake: fake_revenuecat.FakeRevenueCat
) -> None:
    with pytest.raises(rc.RevenueCatError, match="no user"):
        rc.resync(db, uuid.uuid4(), SecretStr(fake_revenuecat.KEY), fake.url)
    assert fake.created == []
    user = create_user(db)
    with pytest.raises(rc.RevenueCatError, match="401"):
        rc.resync(db, user.id, SecretStr("sk_wrong"), fake.url)
    fake.rate_limited = True
    with pytest.raises(rc.RevenueCatError, match="429"):
        rc.resync(db, user.id, SecretStr(fake_revenuecat.KEY), fake.url)


def test_the_operator_command(fresh_db: FreshDb, fake: fake_revenuecat.FakeRevenueCat) -> None:
    with fresh_db.connect("supabase_admin") as conn:
        user = create_user(conn)
    fake.subscribers[str(user.id)] = {"entitlements": {"premium": {"expires_date": None, "product_identifier": "p"}},
                                      "subscriptions": {}}  # fmt: skip
    env = {"DATABASE_URL": fresh_db.url(), "WHATSSOUND_PAYMENTS_REVENUECAT_SECRET_KEY": fake_revenuecat.KEY,
           "WHATSSOUND_PAYMENTS_REVENUECAT_API_URL": fake.url, "COLUMNS": "200"}  # fmt: skip
    result = CliRunner().invoke(cli, ["reconcile", "revenuecat", str(user.id)], env=env)
    assert result.exit_code == 0, result.output
    assert "premium until lifetime" in result.output
