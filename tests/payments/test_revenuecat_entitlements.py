"""RevenueCat events in the ledger become entitlements: in any arrival order, a late event never
revives or ends access a newer one decided; sandbox never grants production access; transfers
move access; failures are retried, never dropped."""

from __future__ import annotations

import itertools
import json
import uuid
from typing import Any

import psycopg
import pytest

from tests.support.gotrue import AuthUser, create_user

T0 = 1_900_000_000_000  # ms
DAY = 86_400_000


def event(
    user: AuthUser | str, kind: str, at: int, *, expires: int | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()), "type": kind, "event_timestamp_ms": at,
        "app_user_id": str(user.id) if isinstance(user, AuthUser) else user, "environment": "PRODUCTION",
        "entitlement_ids": ["premium"], "expiration_at_ms": expires, "product_id": "premium_monthly",
    } | extra  # fmt: skip


def deliver(db: psycopg.Connection, *events: dict[str, Any]) -> int:
    """Store the events as the intake does, then run the worker once."""
    for e in events:
        db.execute(
            "select private.record_webhook_event('revenuecat', %s, %s, %s, null, to_timestamp(%s / 1000.0), %s)",
            (
                e["id"],
                e["type"],
                e.get("environment") == "PRODUCTION",
                e["event_timestamp_ms"],
                json.dumps(e),
            ),
        )
    row = db.execute("select private.process_webhook_events()").fetchone()
    assert row is not None
    return int(row[0])


def access(db: psycopg.Connection, user: AuthUser, at_ms: int) -> bool:
    """Whether the user holds premium at a given time (has_entitlement's rule, at that time)."""
    row = db.execute(
        "select exists (select 1 from public.entitlements where user_id = %s and entitlement = 'premium'"
        " and (expires_at is null or expires_at > to_timestamp(%s / 1000.0)))",
        (user.id, at_ms),
    ).fetchone()
    return bool(row and row[0])


def test_a_purchase_grants_until_expiration_and_has_entitlement_sees_it(db: psycopg.Connection) -> None:
    user = create_user(db)
    assert deliver(db, event(user, "INITIAL_PURCHASE", T0, expires=T0 + 30 * DAY)) == 1
    assert access(db, user, T0 + DAY)
    assert not access(db, user, T0 + 31 * DAY)
    db.execute(
        "update public.entitlements set expires_at = now() + interval '1 day' where user_id = %s", (user.id,)
    )
    assert db.execute("select hidden.has_entitlement(%s, 'premium')", (user.id,)).fetchone() == (True,)


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_any_arrival_order_ends_in_the_newest_state(db: psycopg.Connection, order: tuple[int, ...]) -> None:
    """Purchase, expiration, then a resubscription: whatever order they arrive in, access runs to the renewal's end."""
    user = create_user(db)
    history = [
        event(user, "INITIAL_PURCHASE", T0, expires=T0 + 30 * DAY),
        event(user, "EXPIRATION", T0 + 30 * DAY, expires=T0 + 30 * DAY),
        event(user, "RENEWAL", T0 + 40 * DAY, expires=T0 + 70 * DAY),
    ]
    for i in order:
        deliver(db, history[i])
    assert access(db, user, T0 + 60 * DAY)
    assert not access(db, user, T0 + 71 * DAY)


def test_a_late_expiration_never_ends_a_newer_renewal(db: psycopg.Connection) -> None:
    user = create_user(db)
    deliver(db, event(user, "RENEWAL", T0 + 30 * DAY, expires=T0 + 60 * DAY))
    deliver(db, event(user, "EXPIRATION", T0 + 29 * DAY, expires=T0 + 29 * DAY))
    assert access(db, user, T0 + 45 * DAY)


def test_cancellation_and_pause_keep_access_until_expiration(db: psycopg.Connection) -> None:
    user = create_user(db)
    deliver(db, event(user, "INITIAL_PURCHASE", T0, expires=T0 + 30 * DAY))
    deliver(db, event(user, "CANCELLATION", T0 + DAY, cancel_reason="UNSUBSCRIBE"),
            event(user, "SUBSCRIPTION_PAUSED", T0 + 2 * DAY))  # fmt: skip
    assert access(db, user, T0 + 29 * DAY)


def test_a_billing_issue_honours_the_grace_period(db: psycopg.Connection) -> None:
    user = create_user(db)
    deliver(db, event(user, "INITIAL_PURCHASE", T0, expires=T0 + 30 * DAY))
    deliver(db, event(user, "BILLING_ISSUE", T0 + 30 * DAY, expires=T0 + 30 * DAY,
                      grace_period_expiration_at_ms=T0 + 46 * DAY))  # fmt: skip
    assert access(db, user, T0 + 45 * DAY)
    assert not access(db, user, T0 + 47 * DAY)


def test_sandbox_purchases_never_grant_production_access(db: psycopg.Connection) -> None:
    user = create_user(db)
    assert deliver(db, event(user, "INITIAL_PURCHASE", T0, expires=T0 + 30 * DAY, environment="SANDBOX")) == 1
    assert not access(db, user, T0 + DAY)
    db.execute("update private.settings set value = 'true' where key = 'revenuecat_accept_sandbox'")
    deliver(db, event(user, "INITIAL_PURCHASE", T0 + 1, expires=T0 + 30 * DAY, environment="SANDBOX"))
    assert access(db, user, T0 + DAY), "internal builds may opt in"


def test_a_transfer_moves_access_to_the_new_user(db: psycopg.Connection) -> None:
    old, new = create_user(db), create_user(db)
    deliver(db, event(old, "INITIAL_PURCHASE", T0, expires=T0 + 30 * DAY))
    transfer = event(old, "TRANSFER", T0 + DAY, transferred_from=[str(old.id)], transferred_to=[str(new.id)])
    del transfer["app_user_id"]  # TRANSFER carries no app_user_id
    deliver(db, transfer)
    assert not access(db, old, T0 + 2 * DAY)
    assert access(db, new, T0 + 2 * DAY)


def test_users_are_found_by_alias_and_strangers_are_ignored(db: psycopg.Connection) -> None:
    user = create_user(db)
    deliver(
        db,
        event(
            "$RCAnonymousID:abc",
            "INITIAL_PURCHASE",
            T0,
            expires=T0 + DAY,
            aliases=["$RCAnonymousID:abc", str(user.id)],
        ),
    )
    assert access(db, user, T0 + 1)
    assert deliver(db, event(str(uuid.uuid4()), "INITIAL_PURCHASE", T0, expires=T0 + DAY)) == 1, (
        "handled, no effect"
    )


def test_each_event_applies_once_and_failures_are_retried(db: psycopg.Connection) -> None:
    user = create_user(db)
    purchase = event(user, "INITIAL_PURCHASE", T0, expires=T0 + 30 * DAY)
    assert deliver(db, purchase) == 1
    assert deliver(db) == 0, "a handled event is never applied again"
    broken = event(user, "RENEWAL", T0 + DAY, expires="not a number")  # type: ignore[arg-type]
    assert deliver(db, broken) == 0
    row = db.execute(
        "select handled_at is null, attempts, last_error is not null, next_attempt_at > now()"
        " from private.webhook_events where event_id = %s",
        (broken["id"],),
    ).fetchone()
    assert row == (True, 1, True, True), "recorded and scheduled for a retry, not dropped"


def test_a_billing_issue_tells_the_subscriber_their_subscription_needs_attention(
    db: psycopg.Connection,
) -> None:
    """The intake stores RevenueCat's inner ``event``: the notice finds its user there, by alias too."""
    user, bystander = create_user(db), create_user(db)
    deliver(db, event(user, "INITIAL_PURCHASE", T0, expires=T0 + 30 * DAY))
    issue = event("$RCAnonymousID:x", "BILLING_ISSUE", T0 + 30 * DAY, expires=T0 + 30 * DAY,
                  aliases=[str(user.id)], grace_period_expiration_at_ms=T0 + 46 * DAY)  # fmt: skip
    deliver(db, issue)
    deliver(db, event(bystander, "BILLING_ISSUE", T0, environment="SANDBOX"))  # sandbox: no notice
    notices = db.execute(
        "select user_id, payload ->> 'reason', payload -> 'entitlements' from public.notifications"
        " where kind = 'subscription' order by created_at"
    ).fetchall()
    assert notices == [(user.id, "billing_issue", ["premium"])]
    deliver(db, issue)  # a duplicate delivery is not a second notice
    assert db.execute("select count(*) from public.notifications where kind = 'subscription'").fetchone() == (
        1,
    )
