"""Sending through Expo (a loopback fake enforcing its limits): tickets, collapse, every documented
error, receipts, and a DJ's going live fanned out within the rate. Outages and killed workers:
test_outages_and_kills.py."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

import pytest

from tests.push import fake_expo
from tests.push.conftest import Outbox
from whatssound_svc.push.settings import PushSettings


def test_a_queued_push_reaches_expo_and_its_ticket_is_kept(outbox: Outbox) -> None:
    user, [device] = outbox.user()
    outbox.notify(user, "dj_live")
    report = outbox.send()
    assert (report.sent, report.requests) == (1, 1)
    [message] = outbox.expo.accepted
    assert (message["to"], message["title"], message["priority"], message["ttl"]) == (
        device, "A DJ you follow is live", "high", 3600
    )  # fmt: skip
    row = outbox.conn.execute("select status::text, ticket_id from private.push_messages").fetchone()
    assert row == ("sent", message["ticket"])


def test_a_burst_collapses_into_one_notification(outbox: Outbox) -> None:
    user, _ = outbox.user()
    session = uuid.uuid4()
    for n in range(5):
        outbox.notify(user, "mention", session, excerpt=f"message {n}")
    outbox.send()
    [message] = outbox.expo.accepted
    assert message["title"] == "Someone mentioned you (+4 more)"
    assert (message["body"], message["data"]["count"]) == ("message 4", 5), "the newest stands for the burst"
    assert sorted(s[0] for s in outbox.states()) == ["collapsed"] * 4 + ["sent"]


def test_ticket_errors_deactivate_or_back_off(outbox: Outbox) -> None:
    gone, [gone_token] = outbox.user()
    busy, [busy_token] = outbox.user()
    outbox.expo.unregistered.add(gone_token)
    outbox.expo.rate_exceeded.add(busy_token)
    outbox.notify(gone)
    outbox.notify(busy)
    report = outbox.send()
    assert (report.failed, report.retried) == (1, 1)
    assert outbox.states() == [
        ("failed", "DeviceNotRegistered", 1, False),
        ("queued", "MessageRateExceeded", 1, True),
    ]
    assert not outbox.active(gone_token), "never sent to again until it registers anew"
    assert outbox.active(busy_token)


@pytest.mark.parametrize(("status", "code", "retried"), [
    (429, "TOO_MANY_REQUESTS", True), (503, "SERVICE_UNAVAILABLE", True), (400, "VALIDATION_ERROR", False),
])  # fmt: skip
def test_request_failures_retry_unless_the_payload_is_wrong(
    outbox: Outbox, status: int, code: str, retried: bool
) -> None:
    user, _ = outbox.user()
    outbox.notify(user)
    outbox.expo.fail_next(status, code)
    outbox.send()
    expected = ("queued", code, 1, True) if retried else ("failed", code, 1, False)
    assert outbox.states() == [expected]


def test_retries_stop_after_max_attempts(outbox: Outbox) -> None:
    user, _ = outbox.user()
    outbox.notify(user)
    outbox.settings = PushSettings(expo_url=outbox.expo.url, max_attempts=2)
    outbox.expo.fail_next(500, "INTERNAL_SERVER_ERROR", times=2)
    outbox.send()
    outbox.conn.execute("update private.push_messages set not_before = now()")
    outbox.send()
    assert outbox.states() == [("failed", "INTERNAL_SERVER_ERROR", 2, False)]


def test_wrong_credentials_are_retried_and_alerted(outbox: Outbox, caplog: pytest.LogCaptureFixture) -> None:
    user, _ = outbox.user()
    outbox.notify(user)
    outbox.expo.access_token = "expo-access-token"
    with caplog.at_level(logging.ERROR, logger="whatssound_svc.push.sender"):
        outbox.send()
    assert outbox.states() == [("queued", "UNAUTHORIZED", 1, True)]
    assert "push needs an operator: UNAUTHORIZED" in caplog.text
    assert "expo-access-token" not in caplog.text


def test_receipts_deactivate_unregistered_devices_and_alert_on_credentials(
    outbox: Outbox, caplog: pytest.LogCaptureFixture
) -> None:
    fine, [fine_token] = outbox.user()
    gone, [gone_token] = outbox.user()
    outbox.expo.unregistered_later.add(gone_token)
    outbox.notify(fine)
    outbox.notify(gone)
    outbox.send()
    outbox.expo.receipts_ready = False
    assert outbox.receipts() == 0, "not ready yet: asked again next time"
    outbox.expo.receipts_ready = True
    assert outbox.receipts() == 2
    receipts = outbox.conn.execute("select receipt_status from private.push_messages order by id").fetchall()
    assert receipts == [("ok",), ("DeviceNotRegistered",)]
    assert outbox.active(fine_token)
    assert not outbox.active(gone_token)
    outbox.notify(fine)
    outbox.send()
    outbox.expo.credentials_broken = True
    with caplog.at_level(logging.ERROR, logger="whatssound_svc.push.sender"):
        outbox.receipts()
    assert "push receipt needs an operator: InvalidCredentials" in caplog.text


def test_a_dj_going_live_reaches_every_follower_once_within_the_rate(
    outbox: Outbox, environ: Callable[..., None]
) -> None:
    dj, _ = outbox.user()
    outbox.conn.execute("update public.profiles set is_dj = true where id = %s", (dj.id,))
    followers = 1_300
    outbox.followers(dj, followers)
    outbox.conn.execute("update private.push_messages set status = 'queued' where status = 'suppressed'")
    session = outbox.conn.execute(
        "insert into public.dj_sessions (dj_id, title, scheduled_for) values (%s, 'Friday set', now() + interval '1 day')"
        " returning id",
        (dj.id,),
    ).fetchone()[0]  # type: ignore[index]
    outbox.conn.execute(
        "update public.dj_sessions set status = 'live' where id = %s", (session,)
    )  # enqueues the fan-out
    outbox.work()  # the fan-out, then the sends
    live = [m for m in outbox.expo.accepted if m["title"].endswith(" is live")]
    to = [m["to"] for m in live]
    assert len(to) == followers
    assert len(set(to)) == followers, "nobody twice"
    assert outbox.expo.peak_per_second <= fake_expo.RATE_PER_SECOND
    assert {m["body"] for m in live} == {"Friday set"}
    follows = [m for m in outbox.expo.accepted if m["to"] not in to]
    assert follows, "the DJ heard of the new followers too..."
    assert len(follows) < 20, "...in a few collapsed pushes, not 1,300"
