"""Follow the broadcasts the database sends (realtime.messages), for developers and operators.

realtime.messages has no change notification of its own, so this polls. A row's inserted_at is
its transaction's start time, which can be earlier than rows already seen when transactions
overlap: each poll looks back ``LOOKBACK`` and skips ids already printed.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg

LOOKBACK = dt.timedelta(seconds=30)
BATCH = 500

QUERY = """
select m.id, m.inserted_at, m.topic, m.event, m.payload
from realtime.messages as m
where m.extension = 'broadcast' and m.inserted_at >= %(lower)s
  and (%(topic)s::text is null or m.topic = %(topic)s)
  and m.id <> all (%(seen)s::uuid[])
order by m.inserted_at, m.id
limit %(batch)s
"""


@dataclass(frozen=True)
class Broadcast:
    """One row of realtime.messages."""

    inserted_at: dt.datetime
    topic: str
    event: str
    payload: dict[str, Any]

    def line(self, width: int = 160) -> str:
        """``12:00:01.234 session:1f2e… #42 chat.message {"body": ...}``, cut to ``width``."""
        seq = self.payload.get("seq")
        data = json.dumps(self.payload.get("data", self.payload), separators=(",", ":"), default=str)
        text = f"{self.inserted_at:%H:%M:%S.%f}"[:-3] + f" {self.topic} #{seq} {self.event} {data}"
        return text if len(text) <= width else text[: width - 1] + "…"


def topic_for(session: str | None, user: str | None) -> str | None:
    """The topic to follow: one session's, one user's, or (None) every topic."""
    if session and user:
        raise ValueError("Give --session or --user, not both.")
    for given in (session, user):
        if given is not None:
            try:
                uuid.UUID(given)
            except ValueError:
                raise ValueError(f"Not a uuid: {given!r}.") from None
    return f"session:{session}" if session else f"user:{user}" if user else None


class Tail:
    """Broadcasts from ``since`` ago onwards; each ``poll()`` returns the new ones in order.

    Rows already there at the start are skipped; transactions still open then are not: their
    rows show up when they commit (with an earlier inserted_at, hence the look-back).
    """

    def __init__(self, conn: psycopg.Connection[Any], topic: str | None, since: dt.timedelta) -> None:
        self.conn, self.topic = conn, topic
        row = conn.execute("select localtimestamp").fetchone()
        assert row is not None
        self.newest: dt.datetime = row[0] - since
        self.seen: dict[Any, dt.datetime] = dict(
            conn.execute(
                "select m.id, m.inserted_at from realtime.messages as m"
                " where m.inserted_at >= %s and m.inserted_at < %s",
                (self.newest - LOOKBACK, self.newest),
            ).fetchall()
        )

    def poll(self) -> list[Broadcast]:
        """The broadcasts committed since the last poll (at most BATCH)."""
        lower = self.newest - LOOKBACK
        self.seen = {k: v for k, v in self.seen.items() if v >= lower}
        rows = self.conn.execute(
            QUERY, {"lower": lower, "topic": self.topic, "seen": list(self.seen), "batch": BATCH}
        )
        found = []
        for row_id, inserted_at, topic, event, payload in rows.fetchall():
            self.seen[row_id] = inserted_at
            self.newest = max(self.newest, inserted_at)
            found.append(Broadcast(inserted_at, topic, event or "", payload or {}))
        return found


def follow(
    url: str, topic: str | None, since: dt.timedelta, *, once: bool = False, poll_seconds: float = 0.5
) -> Iterator[Broadcast]:
    """Yield broadcasts as they are committed (only those already there with ``once``)."""
    with psycopg.connect(url, autocommit=True) as conn:
        tail = Tail(conn, topic, since)
        while True:
            found = tail.poll()
            yield from found
            if once and len(found) < BATCH:
                return
            if len(found) < BATCH:
                time.sleep(poll_seconds)
