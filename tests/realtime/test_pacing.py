"""The month's Realtime bill stays within budget: every broadcast is counted as Supabase bills it,
listening time is measured, and the listener budget is paced to what the rest of the cycle affords."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest

from tests.realtime.conftest import Clock, flush, set_setting
from tests.support.api import handle_of
from tests.support.broadcasts import Broadcasts
from tests.support.rooms import LiveRoom


def usage(conn: psycopg.Connection) -> tuple[int, float]:
    row = conn.execute(
        "select coalesce(sum(delivered), 0)::bigint, coalesce(sum(listener_seconds), 0) from private.realtime_usage"
    ).fetchone()
    assert row is not None
    return int(row[0]), float(row[1])


def pacing(conn: psycopg.Connection) -> dict[str, object]:
    cur = conn.execute("select * from private.rt_pacing()")
    row = cur.fetchone()
    assert row is not None
    assert cur.description is not None
    return {col.name: value for col, value in zip(cur.description, row, strict=True)}


def usage_subscribers(conn: psycopg.Connection) -> float:
    row = conn.execute("select coalesce(sum(subscriber_seconds), 0) from private.realtime_usage").fetchone()
    assert row is not None
    return float(row[0])


def test_each_broadcast_counts_its_foreground_subscribers_plus_one(
    db: psycopg.Connection, live: LiveRoom, clock: Clock
) -> None:
    alice, bob, carol = live.member(), live.member(), live.member()
    live.api(carol, "heartbeat", p_session_id=live.id, p_foreground=False)  # screen off: not subscribed
    db.execute("select private.refresh_presence()")
    clock.advance(6)
    flush(db)  # everything so far is counted
    subscribers = db.execute(
        "select subscribers from private.realtime_topics where topic = %s", (live.topic,)
    )
    assert subscribers.fetchone() == (2,), "alice and bob; carol's app is in the background"
    before, _ = usage(db)
    paced_before = db.execute("select coalesce(sum(paced), 0) from private.realtime_usage").fetchone()[0]  # type: ignore[index]
    broadcasts = Broadcasts(db)
    live.say(alice, "hello")
    live.say(bob, f"hi @{handle_of(db, live.dj)}")  # a mention: the DJ's notification goes to user:<dj>
    sent = broadcasts.take()
    flush(db)
    assert usage(db)[0] == before, "counted 5 s later, once transactions that logged earlier have committed"
    clock.advance(6)
    flush(db)
    room = sum(1 for b in sent if b.topic == live.topic)
    personal = sum(1 for b in sent if b.topic.startswith("user:"))
    assert (room, personal) == (2, 1)
    assert usage(db)[0] - before == room * (2 + 1) + personal * 2
    paced = db.execute("select sum(paced) from private.realtime_usage").fetchone()
    assert paced is not None
    assert paced[0] - paced_before == room * (2 + 1), (
        "the room's broadcasts are paced; the DJ's notification is not"
    )
    clock.advance(6)
    flush(db)
    assert usage(db)[0] - before == room * 3 + personal * 2, "a second flush counts nothing twice"


def test_listening_and_subscribed_time_are_counted_capped_per_flush(
    db: psycopg.Connection, live: LiveRoom, clock: Clock
) -> None:
    for _ in range(3):
        live.member()
    db.execute("select private.refresh_presence()")
    db.execute("update public.dj_sessions set listener_count = 40 where id = %s", (live.id,))
    listening = db.execute(
        "select sum(listener_count) from public.dj_sessions where status = 'live'"
    ).fetchone()
    subscribed = db.execute(
        "select sum(t.subscribers) from private.realtime_topics as t join public.dj_sessions as s"
        " on t.topic = 'session:' || s.id where s.status = 'live' and t.delivery = 'push'"
    ).fetchone()
    assert listening is not None
    assert subscribed is not None
    flush(db)
    _, before = usage(db)
    subscribed_before = usage_subscribers(db)
    clock.advance(2)
    flush(db)
    _, after_two = usage(db)
    assert after_two - before == pytest.approx(2 * listening[0])
    assert usage_subscribers(db) - subscribed_before == pytest.approx(2 * subscribed[0])
    clock.advance(600)  # the flusher was down: those ten minutes are not invented
    flush(db)
    assert usage(db)[1] - after_two == pytest.approx(5 * listening[0])


@pytest.mark.parametrize("quota", [2, 6, 60])
def test_a_bucket_delivers_its_quota(
    db: psycopg.Connection, live: LiveRoom, clock: Clock, quota: int
) -> None:
    """A room allowed q broadcasts a minute, asked every second for ten minutes, sends q a minute
    (plus at most its burst), not the one a minute the old refill gave at q = 2."""
    db.execute(
        "update private.realtime_topics set quota = %(q)s, capacity = private.rt_capacity(%(q)s),"
        " rate = private.rt_refill(%(q)s), tokens = 0, refilled_at = private.rt_now() where topic = %(t)s",
        {"q": quota, "t": live.topic},
    )
    capacity = db.execute(
        "select capacity from private.realtime_topics where topic = %s", (live.topic,)
    ).fetchone()
    assert capacity is not None
    sent = 0
    for _ in range(600):
        clock.advance(1)
        row = db.execute(
            "select private.rt_take_token(t) from private.realtime_topics as t where t.topic = %s",
            (live.topic,),
        ).fetchone()
        sent += bool(row and row[0])
    assert 10 * quota - 1 <= sent <= 10 * quota + capacity[0]


def history(
    conn: psycopg.Connection,
    today: dt.date,
    *,
    subscriber_minutes: float,
    delivered: int,
    days: int = 7,
    unpaced: int = 0,
) -> None:
    """``days`` past days of push-room subscribers at ``subscriber_minutes`` a day, ``delivered``
    messages in all, ``unpaced`` of them on staff and personal topics."""
    conn.execute("delete from private.realtime_usage")
    for back in range(1, days + 1):
        conn.execute(
            "insert into private.realtime_usage (day, delivered, paced, listener_seconds, subscriber_seconds,"
            " updated_at, counted_through) values (%s, %s, %s, %s, %s, %s, %s)",
            (
                today - dt.timedelta(days=back), delivered // days, (delivered - unpaced) // days,
                4 * subscriber_minutes * 60, subscriber_minutes * 60, *[today - dt.timedelta(days=back)] * 2,
            ),
        )  # fmt: skip


def test_pacing_holds_back_no_one_while_the_cycle_fits_the_budget(
    db: psycopg.Connection, clock: Clock
) -> None:
    clock.set(dt.datetime(2030, 1, 11, 12, tzinfo=dt.UTC))
    # 5.6 M used in 7 days, 0.8 M a day for 20.5 more: 22 M projected, within 27 M.
    history(db, dt.date(2030, 1, 11), subscriber_minutes=100_000, delivered=5_600_000)
    paced = pacing(db)
    assert paced["used"] == 5_600_000
    assert paced["projected"] == pytest.approx(5_600_000 + 800_000 * 20.5)
    assert paced["listener_budget"] == 60, "on course: every push room at the full budget"


def test_past_the_budget_push_rooms_get_what_the_rest_of_the_cycle_affords(
    db: psycopg.Connection, live: LiveRoom, clock: Clock
) -> None:
    clock.set(dt.datetime(2030, 1, 11, 12, tzinfo=dt.UTC))
    # 1 M a day, 0.1 M of it on staff lanes and personal topics, which pacing sets aside.
    history(db, dt.date(2030, 1, 11), subscriber_minutes=100_000, delivered=7_000_000, unpaced=700_000)
    paced = pacing(db)
    assert paced["days_left"] == pytest.approx(20.5)
    assert paced["projected"] > 27_000_000
    assert paced["daily_unpaced"] == pytest.approx(100_000)
    assert paced["listener_budget"] == pytest.approx(0.9 * (20_000_000 - 100_000 * 20.5) / (100_000 * 20.5))
    live.member()
    db.execute("select private.refresh_presence()")
    flush(db)
    quota = db.execute("select quota from private.realtime_topics where topic = %s", (live.topic,)).fetchone()
    assert quota == (pytest.approx(paced["listener_budget"]),), (
        "push rooms are allocated from the paced budget"
    )


def test_without_history_the_full_budget_applies_and_when_spent_the_minimum(
    db: psycopg.Connection, clock: Clock
) -> None:
    clock.set(dt.datetime(2030, 1, 11, 12, tzinfo=dt.UTC))
    db.execute("delete from private.realtime_usage")
    assert pacing(db)["listener_budget"] == 60, "a new project is as live as B allows"
    history(db, dt.date(2030, 1, 11), subscriber_minutes=100_000, delivered=45_000_000)
    assert pacing(db)["listener_budget"] == 2, "over budget: the floor keeps rooms alive"
    set_setting(db, "realtime_monthly_messages", 10_000_000_000)
    assert pacing(db)["listener_budget"] == 60, "never above B"


def test_the_cycle_follows_the_configured_start_day(db: psycopg.Connection, clock: Clock) -> None:
    set_setting(db, "realtime_cycle_start_day", 15)
    clock.set(dt.datetime(2030, 1, 11, 12, tzinfo=dt.UTC))
    paced = pacing(db)
    assert (paced["cycle_start"], paced["cycle_end"]) == (
        dt.datetime(2029, 12, 15, tzinfo=dt.UTC),
        dt.datetime(2030, 1, 15, tzinfo=dt.UTC),
    )
