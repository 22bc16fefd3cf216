"""Experiment (c) of docs/faults.md: PostgreSQL stops under the running service while its job
worker is sending pushes (to the loopback Expo, paced by the push rate) and starts again.
/readyz must answer 503 while the database is away and 200 again by itself, in the same
process; the worker must carry on with what was queued before and take new work after; and
every device must get its push exactly once.

A send whose answer could not be recorded (the database went away between Expo's answer and
the update) stays ``sending`` until the sweep decides it (docs/push.md: ``unknown`` if its
request had left, queued again if not); the experiment lets those minutes pass by ageing the
claims, as tests/push/test_outages_and_kills.py does.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.conftest import FreshDb
from tests.faults.stack import Stack
from tests.push import fake_expo
from tests.push.conftest import Outbox


@dataclass(frozen=True)
class Size:
    """Pushes queued before the outage and after it, the push rate, and the outage."""

    before: int
    after: int
    rate_per_second: int = 40
    database_down_s: float = 3.0


@dataclass
class Counts:
    readyz_while_down: Counter[int] = field(default_factory=Counter)
    ready_after_s: float = 0.0  # database started -> /readyz 200
    same_process: bool = False
    accepted_at_outage: int = 0
    pushes: int = 0
    delivered: int = 0
    doubled: int = 0
    lost: int = 0
    statuses: dict[str, int] = field(default_factory=dict)


def _notify(outbox: Outbox, ids: list[uuid.UUID]) -> list[str]:
    """Send each of these users (one device each) a mention: their tokens."""
    outbox.conn.execute(
        "select private.notify(id, 'mention', gen_random_uuid()::text, null) from unnest(%s::uuid[]) as id",
        (ids,),
    )
    return [fake_expo.token_of(i) for i in ids]


def _wait(condition: Callable[[], bool], timeout: float, left: Callable[[], object] = list) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out; left: {left()}"
        time.sleep(0.05)


def _left(outbox: Outbox) -> object:
    """What is still undecided, and the push jobs (a timeout's explanation)."""
    return outbox.conn.execute(
        "select 'message', status::text, count(*) from private.push_messages where status in ('queued', 'sending')"
        " group by 2 union all select 'job', task_name || ' ' || status::text, count(*)"
        " from procrastinate.procrastinate_jobs where status in ('todo', 'doing') group by 2"
    ).fetchall()


def run(stack: Stack, db: FreshDb, expo: fake_expo.FakeExpo, size: Size) -> Counts:
    """The experiment on a running stack whose worker sends to ``expo``."""
    counts = Counts()
    outbox = Outbox(db, expo)
    try:
        outbox.conn.execute(
            "update private.settings set value = %s where key = 'push_rate_per_second'",
            (str(size.rate_per_second),),
        )
        people = outbox.people(size.before + size.after)
        tokens = _notify(outbox, people[: size.before])
        _wait(lambda: len(expo.accepted) >= size.before // 4, 60)
        assert stack.proc is not None
        pid = stack.proc.pid
        stack.database_down()
        counts.accepted_at_outage = len(expo.accepted)
        down_until = time.monotonic() + size.database_down_s
        while time.monotonic() < down_until:
            counts.readyz_while_down[stack.readyz()] += 1
            time.sleep(0.2)
        stack.database_up()
        counts.ready_after_s = round(stack.wait_ready(), 2)
        counts.same_process = stack.proc.pid == pid and stack.proc.poll() is None
        outbox.conn.close()
        outbox.conn = db.connect("supabase_admin")  # the old connection died with the server
        [(restarted_at,)] = outbox.conn.execute("select now()").fetchall()
        tokens += _notify(outbox, people[size.before :])
        pending = "select count(*) from private.push_messages where status in ('queued', 'sending')"
        # Everything is sent, except claims the outage cut off (their answer, or their request, never
        # recorded): those stay `sending` until the sweep, whatever the wait.
        busy = (
            "select count(*) from private.push_messages"
            " where status = 'queued' or (status = 'sending' and claimed_at >= %s)"
        )
        _wait(
            lambda: outbox.conn.execute(busy, (restarted_at,)).fetchone() == (0,),
            120,
            lambda: _left(outbox),
        )
        outbox.conn.execute(  # minutes pass: the sweep decides what the outage left undecided
            "update private.push_messages set claimed_at = claimed_at - interval '10 minutes' where status = 'sending'"
        )
        last, [last_token] = outbox.user()
        outbox.notify(last)  # a send job: its sweep runs first
        tokens.append(last_token)
        _wait(lambda: outbox.conn.execute(pending).fetchone() == (0,), 60, lambda: _left(outbox))
        counts.statuses = dict(outbox.conn.execute(
            "select status::text, count(*) from private.push_messages group by 1"
        ).fetchall())  # fmt: skip
    finally:
        outbox.conn.close()
    accepted = Counter(m["to"] for m in expo.accepted)
    counts.pushes, counts.delivered = len(tokens), sum(accepted.values())
    counts.doubled = sum(n - 1 for n in accepted.values())
    counts.lost = sum(1 for t in tokens if t not in accepted)
    return counts
