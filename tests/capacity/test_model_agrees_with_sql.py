"""One source of truth for pacing (issue 22): the cost model and the SQL use the same numbers and
the same formula, and the simulator, run in the month regime, spends what the model says.

- The design the model prices is the settings a fresh migration leaves (sql/schema/settings.json,
  itself checked against the database by tests/schema/test_schema_dump.py).
- ``workload.pacing_budget`` and ``private.rt_pacing`` give the same budget from the same seeded
  history: on course, over budget, at the floor.
- Push rooms simulated with a month of history behind them (pacing in its steady state) deliver,
  per foreground subscriber-minute, what the model fitted on the same rooms without history
  predicts, within 10 %.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import psycopg
import pytest

from tests.conftest import FreshDb
from whatssound_svc import schemadump
from whatssound_svc.lab.capacity import workload
from whatssound_svc.lab.simulate import engine, history, plan, report

NOW = dt.datetime(2030, 1, 11, 12, tzinfo=dt.UTC)  # a cycle started on the 1st: 10.5 days in, 20.5 left


def _pinned_clock(conn: psycopg.Connection, at: dt.datetime) -> None:
    conn.execute("select set_config('whatssound.fake_now', %s, true)", (at.isoformat(),))


def _sql_pacing(conn: psycopg.Connection) -> dict[str, Any]:
    cur = conn.execute("select * from private.rt_pacing()")
    row = cur.fetchone()
    assert row is not None
    assert cur.description is not None
    return {c.name: v for c, v in zip(cur.description, row, strict=True)}


def test_the_model_prices_the_settings_a_fresh_migration_leaves(db: psycopg.Connection) -> None:
    design = workload.RealtimeDesign.from_settings()
    live = {k: v for k, v in db.execute("select key, value from private.settings").fetchall()}
    assert design.push_max == live["realtime_push_max_listeners"]
    assert design.poll_ms == live["realtime_poll_ms"]
    assert design.monthly_messages == live["realtime_monthly_messages"]
    assert design.listener_budget == live["realtime_listener_budget_per_minute"]
    assert design.min_budget == live["realtime_min_listener_budget_per_minute"]
    assert schemadump.setting_defaults()["realtime_push_max_listeners"] == design.push_max
    assert design.push(design.push_max)
    assert not design.push(design.push_max + 1)


@pytest.mark.parametrize(
    ("daily_messages", "daily_paced"),
    [
        (800_000, 700_000),  # on course: the full budget
        (1_000_000, 900_000),  # over: what the rest of the cycle affords push rooms
        (2_000_000, 200_000),  # the unpaced spend alone is over: the floor
    ],
)
def test_the_model_and_rt_pacing_give_the_same_budget(
    db: psycopg.Connection, daily_messages: int, daily_paced: int
) -> None:
    _pinned_clock(db, NOW)
    per_day = {"daily_messages": daily_messages, "daily_paced": daily_paced,
               "daily_subscriber_minutes": 90_000.0, "daily_listener_minutes": 400_000.0}  # fmt: skip
    history.seed_month(db, per_day)
    sql = _sql_pacing(db)
    days_in = 10  # the 1st to the 10th, each a whole day of history
    design = workload.RealtimeDesign.from_settings()
    model = workload.pacing_budget(
        design, used=days_in * daily_messages, daily_messages=daily_messages,
        daily_unpaced=daily_messages - daily_paced, daily_subscriber_minutes=90_000.0, days_left=20.5,
    )  # fmt: skip
    assert sql["used"] == days_in * daily_messages
    assert sql["days_left"] == pytest.approx(20.5)
    assert sql["listener_budget"] == pytest.approx(model)
    assert design.min_budget <= model <= design.listener_budget


ROOMS = (20, 16, 12, 8, 5)  # push rooms (at most realtime_push_max_listeners)
DURATION_S, RAMP_S = 45.0, 5.0


def _simulate(db: FreshDb, *, month: dict[str, float] | None) -> dict[str, Any]:
    if month is not None:
        with db.connect() as conn:
            history.seed_month(conn, month)
            conn.commit()
    work = plan.Workload(room_sizes=ROOMS, duration_s=DURATION_S, ramp_s=RAMP_S, seed=7)
    actions = plan.schedule(work)
    run = asyncio.run(engine.execute(db.url(), work, actions=actions))
    return report.summarise(db.url(), run, actions)


def _per_subscriber_minute(figures: dict[str, Any]) -> float:
    rooms = figures["rooms"]
    return sum(r["delivered"] for r in rooms) / sum(r["foreground_minutes"] for r in rooms)


@pytest.mark.slow
def test_in_the_month_regime_push_rooms_spend_what_the_model_says(
    fresh_db: FreshDb, template_db: str
) -> None:
    young = _simulate(fresh_db, month=None)
    per = workload.PerMinute.from_figures(young)
    design = workload.RealtimeDesign.from_settings()
    month = workload.reference_usage_per_day()  # the reference month, priced from the committed figures
    budget = workload.pacing_budget(
        design, used=0.0, daily_messages=month["daily_messages"],
        daily_unpaced=month["daily_messages"] - month["daily_paced"],
        daily_subscriber_minutes=month["daily_subscriber_minutes"], days_left=workload.DAYS,
    )  # fmt: skip
    # The model: each room's fitted rate a subscriber-minute, held to the paced budget.
    rooms = young["rooms"]
    predicted = sum(
        r["foreground_minutes"] * min(per.push_rate(r["listeners"], design) / design.foreground_share, budget)
        for r in rooms
    ) / sum(r["foreground_minutes"] for r in rooms)
    fresh = FreshDb(fresh_db.server, f"{fresh_db.name}_m")
    fresh.server.create_database(fresh.name, template=template_db)
    try:
        measured = _per_subscriber_minute(_simulate(fresh, month=month))
    finally:
        fresh.server.drop_database(fresh.name)
    assert all(r["mode"] == "push" for r in rooms)
    assert measured == pytest.approx(predicted, rel=0.10)
