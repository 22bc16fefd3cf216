"""Devices and preferences: which notifications become push messages, to which devices, when."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import psycopg
import pytest

from tests.push.fake_expo import token
from tests.support.api import Api, raises_code
from tests.support.gotrue import AuthUser, create_user


def notify(
    db: psycopg.Connection, user: AuthUser, kind: str = "mention", key: str | None = None, **payload: Any
) -> None:
    db.execute(
        "select private.notify(%s, %s::public.notification_kind, %s, null, null, null, %s::jsonb)",
        (user.id, kind, key or f"{kind}:{uuid.uuid4()}", __import__("json").dumps(payload)),
    )


def messages(db: psycopg.Connection, user: AuthUser) -> list[tuple[Any, ...]]:
    return db.execute(
        "select d.token, m.status::text, m.kind::text, m.title from private.push_messages as m"
        " join public.push_devices as d on d.id = m.device_id where d.user_id = %s order by m.id",
        (user.id,),
    ).fetchall()


def test_a_device_registers_moves_between_accounts_and_signs_out(db: psycopg.Connection, api: Api) -> None:
    alice, bob = create_user(db), create_user(db)
    phone = token("phone-1")
    device = api(alice, "register_push_device", p_token=phone, p_platform="ios")
    assert (device["user_id"], device["active"]) == (str(alice.id), True)
    moved = api(bob, "register_push_device", p_token=phone, p_platform="ios")
    assert moved["id"] == device["id"], "one row per device"
    assert moved["user_id"] == str(bob.id), "the phone changed hands: only bob is notified now"
    notify(db, alice)
    notify(db, bob)
    assert [m[0] for m in messages(db, alice)] == []
    assert [m[0] for m in messages(db, bob)] == [phone]
    assert api(bob, "unregister_push_device", p_token=phone) is True
    assert api(alice, "unregister_push_device", p_token=phone) is False, "not hers to unregister"
    notify(db, bob)
    assert len(messages(db, bob)) == 1, "signed out: nothing new"


@pytest.mark.parametrize("bad", ["ExponentPushToken[]", "abc", "ExponentPushToken[x y]", "FCM:123"])
def test_only_expo_tokens_are_accepted(db: psycopg.Connection, api: Api, bad: str) -> None:
    with raises_code("22023", 400):
        api(create_user(db), "register_push_device", p_token=bad, p_platform="ios")


def test_at_most_ten_devices_receive(db: psycopg.Connection, api: Api) -> None:
    user = create_user(db)
    for n in range(12):
        api(user, "register_push_device", p_token=token(f"device-{n:02d}"), p_platform="android")
    active = db.execute("select count(*) from public.push_devices where user_id = %s and active", (user.id,))
    assert active.fetchone() == (10,)


def test_a_notification_is_pushed_once_per_device(db: psycopg.Connection, api: Api) -> None:
    user = create_user(db)
    for n in (1, 2):
        api(user, "register_push_device", p_token=token(f"d{n}"), p_platform="ios")
    notify(db, user, "mention", key="mention:1", excerpt="hey @you")
    notify(db, user, "mention", key="mention:1", excerpt="hey @you")  # the same event again
    assert [(m[1], m[2]) for m in messages(db, user)] == [("queued", "mention")] * 2
    job = db.execute(
        "select task_name, queueing_lock from procrastinate.procrastinate_jobs where status = 'todo'"
    )
    assert job.fetchall() == [("push:send", "push:send")], "one coalesced send job"


def test_kinds_can_be_turned_off(db: psycopg.Connection, api: Api) -> None:
    user = create_user(db)
    api(user, "register_push_device", p_token=token("d"), p_platform="ios")
    api(user, "set_push_preferences", p_disabled_kinds=["new_follower"])
    notify(db, user, "new_follower")
    notify(db, user, "mention")
    assert [m[2] for m in messages(db, user)] == ["mention"]
    assert db.execute(
        "select count(*) from public.notifications where user_id = %s", (user.id,)
    ).fetchone() == (2,), "the feed keeps everything"


def test_quiet_hours_drop_urgent_pushes_and_delay_the_rest(db: psycopg.Connection, api: Api) -> None:
    user = create_user(db)
    api(user, "register_push_device", p_token=token("d"), p_platform="ios")
    now_there = db.execute("select (now() at time zone 'Asia/Tokyo')::time").fetchone()[0]  # type: ignore[index]
    start = (dt.datetime.combine(dt.date.today(), now_there) - dt.timedelta(hours=1)).time()
    end = (dt.datetime.combine(dt.date.today(), now_there) + dt.timedelta(hours=2)).time()
    api(
        user,
        "set_push_preferences",
        p_time_zone="Asia/Tokyo",
        p_quiet_start=start.isoformat(),
        p_quiet_end=end.isoformat(),
    )
    notify(db, user, "dj_live")
    notify(db, user, "tip_received", amount=500, currency="usd")
    rows = db.execute(
        "select kind::text, status::text, round(extract(epoch from not_before - now()) / 3600) from private.push_messages"
        " as m join public.push_devices as d on d.id = m.device_id where d.user_id = %s order by m.id",
        (user.id,),
    ).fetchall()
    assert rows == [("dj_live", "suppressed", 2), ("tip_received", "queued", 2)], (
        "held until the quiet hours end"
    )
    with raises_code("22023"):
        api(user, "set_push_preferences", p_time_zone="Mars/Olympus")
    with raises_code("22023"):
        api(user, "set_push_preferences", p_quiet_start="23:00")


def test_push_text_says_what_happened(db: psycopg.Connection, api: Api) -> None:
    user = create_user(db)
    api(user, "register_push_device", p_token=token("d"), p_platform="ios")
    notify(db, user, "tip_received", amount=1250, currency="usd", message="encore!")
    notify(db, user, "tip_received", amount=500, currency="jpy")
    bodies = db.execute(
        "select m.title, m.body from private.push_messages as m join public.push_devices as d on d.id = m.device_id"
        " where d.user_id = %s order by m.id",
        (user.id,),
    ).fetchall()
    assert bodies == [("You got a tip", "USD 12.50: encore!"), ("You got a tip", "JPY 500")]
