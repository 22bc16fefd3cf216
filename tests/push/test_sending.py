"""Sending through Expo (a loopback fake enforcing its limits): tickets, collapse, every documented
error, receipts, a worker dying mid-send, and a DJ's going live fanned out within the rate."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from psycopg_pool import AsyncConnectionPool

from tests.conftest import FreshDb
from tests.jobs.test_queue import work
from tests.push import fake_expo
from tests.support.gotrue import AuthUser, create_user
from whatssound_svc.jobs import queue
from whatssound_svc.push import sender
from whatssound_svc.push.expo import Expo
from whatssound_svc.push.settings import PushSettings, get_push_settings


class Outbox:
    """A committed database, an Expo fake, and the sender between them."""

    def __init__(self, db: FreshDb, expo: fake_expo.FakeExpo) -> None:
        self.db, self.expo = db, expo
        self.conn = db.connect("supabase_admin")
        self.settings = PushSettings(expo_url=expo.url, retry_base_s=0.01)

    def user(self, devices: int = 1) -> tuple[AuthUser, list[str]]:
        user = create_user(self.conn)
        tokens = [fake_expo.token(f"{user.id.hex[:12]}{n}") for n in range(devices)]
        for t in tokens:
            self.conn.execute("insert into public.push_devices (user_id, token, platform) values (%s, %s, 'ios')",
                              (user.id, t))  # fmt: skip
        return user, tokens

    def notify(
        self, user: AuthUser, kind: str = "mention", session: uuid.UUID | None = None, **payload: Any
    ) -> None:
        self.conn.execute(
            "select private.notify(%s, %s::public.notification_kind, %s, null, %s, null, %s::jsonb)",
            (user.id, kind, f"{kind}:{uuid.uuid4()}", session, json.dumps(payload)),
        )

    def send(self) -> sender.SendReport:
        async def run() -> sender.SendReport:
            async with AsyncConnectionPool(self.db.url(), min_size=1, max_size=4, open=False) as pool:
                expo = Expo(self.settings)
                try:
                    return await sender.send_due(pool, expo, self.settings)
                finally:
                    await expo.aclose()

        return asyncio.run(run())

    def receipts(self) -> int:
        self.conn.execute("update private.push_messages set sent_at = sent_at - interval '16 minutes'")

        async def run() -> int:
            async with AsyncConnectionPool(self.db.url(), min_size=1, max_size=2, open=False) as pool:
                expo = Expo(self.settings)
                try:
                    return await sender.check_receipts(pool, expo, self.settings)
                finally:
                    await expo.aclose()

        return asyncio.run(run())

    def states(self) -> list[tuple[Any, ...]]:
        return self.conn.execute(
            "select status::text, error, attempts, not_before > claimed_at from private.push_messages order by id"
        ).fetchall()

    def active(self, token: str) -> bool:
        row = self.conn.execute(
            "select active from public.push_devices where token = %s", (token,)
        ).fetchone()
        return bool(row and row[0])


@pytest.fixture
def outbox(fresh_db: FreshDb) -> Iterator[Outbox]:
    with fake_expo.running() as expo:
        box = Outbox(fresh_db, expo)
        try:
            yield box
        finally:
            box.conn.close()


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
    outbox.settings = PushSettings(expo_url=outbox.expo.url, retry_base_s=0.01, max_attempts=2)
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


def test_a_message_its_worker_died_sending_is_never_sent_twice(outbox: Outbox) -> None:
    user, _ = outbox.user()
    outbox.notify(user)
    outbox.conn.execute(
        "update private.push_messages set status = 'sending', claimed_at = now() - interval '6 minutes'"
    )
    outbox.send()
    assert outbox.expo.accepted == []
    assert outbox.states()[0][:2] == ("lost", "worker died while sending")


def test_a_dj_going_live_reaches_every_follower_once_within_the_rate(
    outbox: Outbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    dj, _ = outbox.user()
    outbox.conn.execute("update public.profiles set is_dj = true where id = %s", (dj.id,))
    followers = 1_300
    outbox.conn.execute(
        "with fans as (select gen_random_uuid() as id from generate_series(1, %s))"
        " , users as (insert into auth.users (id, phone, raw_user_meta_data) select id, '1999' || lpad((row_number()"
        " over ())::text, 7, '0'), '{}' from fans returning id)"
        " , devices as (insert into public.push_devices (user_id, token, platform)"
        "   select id, 'ExponentPushToken[' || replace(id::text, '-', '') || ']', 'android' from users returning user_id)"
        " insert into public.follows (follower_id, followee_id) select user_id, %s from devices",
        (followers, dj.id),
    )
    session = outbox.conn.execute(
        "insert into public.dj_sessions (dj_id, title, scheduled_for) values (%s, 'Friday set', now() + interval '1 day')"
        " returning id",
        (dj.id,),
    ).fetchone()[0]  # type: ignore[index]
    outbox.conn.execute(
        "update public.dj_sessions set status = 'live' where id = %s", (session,)
    )  # enqueues the fan-out
    # A first worker died after notifying one page of followers...
    outbox.conn.execute("select private.fanout_live_batch(%s, null, 500)", (session,))
    monkeypatch.setenv("WHATSSOUND_PUSH_EXPO_URL", outbox.expo.url)
    get_push_settings.cache_clear()
    try:
        work(queue.make_app(outbox.db.url()))  # ...the job (re)runs the whole fan-out, then the sends
    finally:
        get_push_settings.cache_clear()
    live = [m for m in outbox.expo.accepted if m["title"].endswith(" is live")]
    to = [m["to"] for m in live]
    assert len(to) == followers
    assert len(set(to)) == followers, "nobody twice"
    assert outbox.expo.peak_per_second <= fake_expo.RATE_PER_SECOND
    assert {m["body"] for m in live} == {"Friday set"}
    follows = [m for m in outbox.expo.accepted if m["to"] not in to]
    assert follows, "the DJ heard of the new followers too..."
    assert len(follows) < 20, "...in a few collapsed pushes, not 1,300"
