"""A live room and the broadcasts it produces, for the realtime tests."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest
from psycopg.types.json import Jsonb

from tests.support.api import Api, make_dj, make_session
from tests.support.broadcasts import Broadcasts
from tests.support.rooms import LiveRoom


@pytest.fixture
def live(db: psycopg.Connection, api: Api) -> LiveRoom:
    dj = make_dj(db)
    return LiveRoom(api, dj, make_session(api, dj))


@pytest.fixture
def broadcasts(db: psycopg.Connection, live: LiveRoom) -> Broadcasts:
    """Broadcasts from here on (the room's creation is already taken)."""
    return Broadcasts(db)


class Clock:
    """The realtime budget's clock (private.rt_now), moved by hand."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn
        self.now = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
        self.set(self.now)

    def set(self, when: dt.datetime) -> None:
        self.now = when
        self.conn.execute("select set_config('whatssound.fake_now', %s, true)", (when.isoformat(),))

    def advance(self, seconds: float) -> None:
        self.set(self.now + dt.timedelta(seconds=seconds))


@pytest.fixture
def clock(db: psycopg.Connection) -> Clock:
    return Clock(db)


def set_setting(conn: psycopg.Connection, key: str, value: object) -> None:
    """Change an operational setting for this test's transaction."""
    conn.execute("update private.settings set value = %s where key = %s", (Jsonb(value), key))


def flush(conn: psycopg.Connection) -> int:
    """Run the scheduled flush once; returns the number of ticks sent."""
    row = conn.execute("select private.realtime_flush()").fetchone()
    assert row is not None
    return int(row[0])


def empty_bucket(conn: psycopg.Connection, topic: str) -> None:
    """Spend all of a room's broadcast budget (creating its topic row if needed)."""
    session_id = topic.removeprefix("session:")
    conn.execute("select private.rt_topic_row(%s, %s)", (topic, session_id))
    conn.execute(
        "update private.realtime_topics set tokens = 0, refilled_at = private.rt_now() where topic = %s",
        (topic,),
    )
