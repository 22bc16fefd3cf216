"""What runs when: the one declaration of recurring work, ``private.schedule``, as each scheduler takes it.

Every recurring job is one row of that table (sql/ops/*_ops-schedule*.sql): a name, an interval,
what it runs and where. ``database`` rows are SQL that pg_cron runs where the extension exists
(``private.sync_cron()``) and the service runs everywhere; ``service`` rows are SQL only the
service runs; both go through the service's periodic loop (:mod:`whatssound_svc.periodic`).
``workers`` rows are procrastinate tasks the job workers defer (:func:`register_periodic`).
Nothing else schedules recurring work and no interval is written anywhere else
(tests/service/test_schedule.py checks both). ``whatssound jobs schedule`` prints the table.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, LiteralString

if TYPE_CHECKING:
    import procrastinate
    import psycopg

logger = logging.getLogger(__name__)

QUERY: LiteralString = "select name, every, statement, task, runs_on from private.schedule order by name"


@dataclass(frozen=True)
class Job:
    """One declared job (a row of ``private.schedule``)."""

    name: str
    every: dt.timedelta
    statement: str | None
    task: str | None
    runs_on: str


async def read(conn: psycopg.AsyncConnection[Any]) -> list[Job]:
    """Every declared job, by name."""
    cur = await conn.execute(QUERY)
    return [Job(*row) for row in await cur.fetchall()]


def cron(every: dt.timedelta) -> str:
    """The procrastinate (croniter) expression that fires every ``every``; seconds are its 6th field.

    Only intervals that divide their unit evenly (seconds of a minute, minutes of an hour, hours of
    a day) fire at even spacing; others are refused rather than silently drifting.
    """
    seconds = every.total_seconds()
    if seconds == 86400:
        return "0 0 * * *"
    for unit, per, template in ((1, 60, "* * * * * {}"), (60, 60, "{} * * * *"), (3600, 24, "0 {} * * *")):
        n = seconds / unit
        if n.is_integer() and 1 <= n < per and per % n == 0:
            return template.format("*" if n == 1 else f"*/{int(n)}")
    raise ValueError(f"{every} does not divide a minute, an hour or a day: no even cron schedule")


async def register_periodic(app: procrastinate.App) -> list[str]:
    """Make the declared ``workers`` jobs ``app``'s periodic tasks (the only ones it has); returns
    their names. Read through the app's open connector, again at each (re)start of a worker."""
    rows = await app.connector.execute_query_all_async(QUERY)
    registry = app.periodic_registry
    registry.periodic_tasks.clear()
    registered = []
    # The most frequent first: a worker defers each tick's jobs in this order.
    for job in sorted((Job(**row) for row in rows), key=lambda j: (j.every, j.name)):
        if job.task is None:
            continue
        task = app.tasks.get(job.task)
        if task is None:  # a newer declaration than this worker's code (a rolling deploy)
            logger.warning("declared job %s runs %s, a task this worker does not have", job.name, job.task)
            continue
        registry.register_task(task=task, cron=cron(job.every), periodic_id=job.name, configure_kwargs={})
        registered.append(job.name)
    return registered
