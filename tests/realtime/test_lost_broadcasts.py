"""A broadcast that realtime.send swallowed (a WARNING, nothing sent) is counted for /metrics."""

from __future__ import annotations

import psycopg

from tests.support.rooms import LiveRoom


def _undelivered(db: psycopg.Connection) -> list[tuple]:
    # The view counts sends from a minute ago to 5 s ago: date the log back into that window.
    db.execute("update private.realtime_log set created_at = now() - interval '10 seconds' where sent")
    return db.execute("select event, events from private.realtime_undelivered order by 1").fetchall()


def test_delivered_broadcasts_are_not_counted(db: psycopg.Connection, live: LiveRoom) -> None:
    live.say(live.member(), "hello room")
    assert db.execute("select count(*) from private.realtime_log where sent").fetchone() != (0,)
    assert _undelivered(db) == []


def test_a_broadcast_missing_from_realtime_messages_is_counted(
    db: psycopg.Connection, live: LiveRoom
) -> None:
    message = live.say(live.member(), "hello room")
    # What Supabase does when the day has no partition or a policy refuses: no row. (Only the
    # Realtime service may delete there: do it as the superuser this test session logs in as.)
    db.execute("reset role")
    db.execute("delete from realtime.messages where payload -> 'data' ->> 'id' = %s", (message["id"],))
    db.execute("set role postgres")
    assert _undelivered(db) == [("chat.message", 1)]
