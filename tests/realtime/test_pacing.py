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


def test_each_broadcast_counts_its_recipients_plus_one(
    db: psycopg.Connection, live: LiveRoom, clock: Clock
) -> None:
    alice = live.member()
    db.execute("update public.dj_sessions set listener_count = 7 where id = %s", (live.id,))
    clock.advance(6)
    flush(db)  # everything so far is counted
    before, _ = usage(db)
    broadcasts = Broadcasts(db)
    live.say(alice, "hello")
    live.say(alice, f"hi @{handle_of(db, live.dj)}")  # a mention: the DJ's notification goes to user:<dj>
    sent = broadcasts.take()
    flush(db)
    assert usage(db)[0] == before, "counted 5 s later, once transactions that logged earlier have committed"
    clock.advance(6)
    flush(db)
    room = sum(1 for b in sent if b.topic == live.topic)
    personal = sum(1 for b in sent if b.topic.startswith("user:"))
    assert (room, personal) == (2, 1)
    assert usage(db)[0] - before == room * (7 + 1) + personal * 2
    clock.advance(6)
    flush(db)
    assert usage(db)[0] - before == room * 8 + personal * 2, "a second flush counts nothing twice"


def test_listening_time_is_listeners_times_seconds_capped_per_flush(
    db: psycopg.Connection, live: LiveRoom, clock: Clock
) -> None:
    db.execute("update public.dj_sessions set listener_count = 40 where id = %s", (live.id,))
    listening = db.execute(
        "select sum(listener_count) from public.dj_sessions where status = 'live'"
    ).fetchone()
    assert listening is not None
    flush(db)
    _, before = usage(db)
    clock.advance(2)
    flush(db)
    _, after_two = usage(db)
    assert after_two - before == pytest.approx(2 * listening[0])
    clock.advance(600)  # the flusher was down: those ten minutes are not invented
    flush(db)
    assert usage(db)[1] - after_two == pytest.approx(5 * listening[0])


def history(conn: psycopg.Connection, today: dt.date, *, listener_minutes: float, delivered: int) -> None:
    """Seven past days of listening at ``listener_minutes`` a day, ``delivered`` messages in all."""
    conn.execute("delete from private.realtime_usage")
    for back in range(1, 8):
        conn.execute(
            "insert into private.realtime_usage (day, delivered, listener_seconds, updated_at, counted_through)"
            " values (%s, %s, %s, %s, %s)",
            (
                today - dt.timedelta(days=back),
                delivered // 7,
                listener_minutes * 60,
                *[today - dt.timedelta(days=back)] * 2,
            ),
        )


def test_the_listener_budget_is_what_the_rest_of_the_cycle_affords(
    db: psycopg.Connection, live: LiveRoom, clock: Clock
) -> None:
    clock.set(dt.datetime(2030, 1, 11, 12, tzinfo=dt.UTC))
    history(db, dt.date(2030, 1, 11), listener_minutes=100_000, delivered=7_000_000)
    paced = pacing(db)
    # 27 M a cycle, 7 M used since Jan 1 (days 4..10 of the history), 20.5 days left at 100,000 listener-minutes a day.
    assert paced["used"] == 7_000_000
    assert paced["days_left"] == pytest.approx(20.5)
    assert paced["listener_budget"] == pytest.approx(0.9 * 20_000_000 / (100_000 * 20.5))
    db.execute("update public.dj_sessions set listener_count = 21 where id = %s", (live.id,))  # a big room
    flush(db)
    quota = db.execute("select quota from private.realtime_topics where topic = %s", (live.topic,)).fetchone()
    assert quota is not None
    assert quota[0] == pytest.approx(paced["listener_budget"]), (
        "big rooms are allocated from the paced budget"
    )


def test_pacing_holds_back_big_rooms_and_spares_small_ones(
    db: psycopg.Connection, live: LiveRoom, clock: Clock
) -> None:
    clock.set(dt.datetime(2030, 1, 11, 12, tzinfo=dt.UTC))
    history(db, dt.date(2030, 1, 11), listener_minutes=100_000, delivered=45_000_000)
    assert pacing(db)["listener_budget"] == 2  # the month is spent: the floor
    for listeners, expected in ((20, 60), (21, 2)):  # realtime_immediate_max_listeners is 20
        db.execute("update public.dj_sessions set listener_count = %s where id = %s", (listeners, live.id))
        clock.advance(1)
        flush(db)
        quota = db.execute(
            "select quota from private.realtime_topics where topic = %s", (live.topic,)
        ).fetchone()
        assert quota == (pytest.approx(expected),), f"a room of {listeners}"


def test_without_history_the_full_budget_applies_and_when_spent_the_minimum(
    db: psycopg.Connection, clock: Clock
) -> None:
    clock.set(dt.datetime(2030, 1, 11, 12, tzinfo=dt.UTC))
    db.execute("delete from private.realtime_usage")
    assert pacing(db)["listener_budget"] == 60, "a new project is as live as B allows"
    history(db, dt.date(2030, 1, 11), listener_minutes=100_000, delivered=45_000_000)
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
