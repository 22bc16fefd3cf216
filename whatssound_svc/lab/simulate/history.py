"""A month of realtime usage history, as private.realtime_usage would hold it in the steady state.

Pacing (private.rt_pacing) projects from this cycle's messages and the last seven days' daily
averages. The benchmarks' month regime, and the test that checks the cost model against the SQL,
seed it from the reference month (``capacity.workload.reference_usage_per_day``).
"""

from __future__ import annotations

import datetime as dt

import psycopg


def seed_month(conn: psycopg.Connection, per_day: dict[str, float]) -> None:
    """Every day of the current cycle before today, and the seven days before it, at ``per_day``
    (daily_messages, daily_paced, daily_subscriber_minutes, daily_listener_minutes); any history
    already there is replaced. Runs as the migration owner (postgres)."""
    conn.execute("delete from private.realtime_usage")
    start = conn.execute("select cycle_start from private.rt_pacing()").fetchone()
    assert start is not None
    today = conn.execute("select (private.rt_now() at time zone 'UTC')::date").fetchone()[0]  # type: ignore[index]
    day = min(start[0].astimezone(dt.UTC).date(), today - dt.timedelta(days=7))
    while day < today:
        end_of_day = dt.datetime.combine(day, dt.time(23, 59), dt.UTC)
        conn.execute(
            "insert into private.realtime_usage (day, delivered, paced, listener_seconds, subscriber_seconds,"
            " updated_at, counted_through) values (%s, %s, %s, %s, %s, %s, %s)",
            (day, round(per_day["daily_messages"]), round(per_day["daily_paced"]),
             per_day["daily_listener_minutes"] * 60, per_day["daily_subscriber_minutes"] * 60,
             end_of_day, end_of_day),
        )  # fmt: skip
        day += dt.timedelta(days=1)
