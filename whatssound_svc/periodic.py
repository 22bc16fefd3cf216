"""The service's periodic loop: the SQL statements declared in ``private.schedule``.

Each statement runs at its declared interval in every service instance but is executed by only
one at a time (a transaction-level advisory lock per task), so scaling out the service never
multiplies the work. The declaration (:mod:`whatssound_svc.schedule`) is the only list: its
``database`` rows (realtime flush, presence refresh, prunes) also run in pg_cron where it exists
(hosted Supabase), so live rooms do not depend on this service being up, which is safe as every
statement is idempotent; its ``service`` rows (account deletions, webhook events, retention, ...)
run only here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

import psycopg
from psycopg_pool import AsyncConnectionPool

from whatssound_svc import schedule

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicTask:
    """A maintenance statement and how often to run it."""

    name: str
    statement: str
    interval_s: float


async def run_once(pool: AsyncConnectionPool, task: PeriodicTask) -> bool:
    """Run ``task`` unless another instance is running it right now; returns whether it ran."""
    async with pool.connection() as conn, conn.transaction():
        cur = await conn.execute(
            "select pg_try_advisory_xact_lock(hashtextextended(%s, 0))", (f"periodic:{task.name}",)
        )
        row = await cur.fetchone()
        if not (row and row[0]):
            return False
        cur = await conn.execute(task.statement)  # a constant from this module
        result = await cur.fetchone()
    logger.debug("periodic task ran", extra={"task": task.name, "result": result[0] if result else None})
    return True


async def _loop(pool: AsyncConnectionPool, task: PeriodicTask, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            await run_once(pool, task)
        except (psycopg.Error, TimeoutError) as exc:
            logger.warning(
                "periodic task %s failed: %s", task.name, type(exc).__name__, extra={"task": task.name}
            )
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), task.interval_s)


@contextlib.asynccontextmanager
async def running(pool: AsyncConnectionPool, tasks: list[PeriodicTask]) -> AsyncIterator[None]:
    """Run the tasks in the background for the duration of the block."""
    stop = asyncio.Event()
    handles = [asyncio.create_task(_loop(pool, t, stop), name=f"periodic:{t.name}") for t in tasks]
    try:
        yield
    finally:
        # The event ends every loop even where a library swallows the cancellation (psycopg_pool
        # can, when it lands inside getconn); the cancel interrupts work in flight.
        stop.set()
        for handle in handles:
            handle.cancel()
        await asyncio.gather(*handles, return_exceptions=True)


async def declared_tasks(pool: AsyncConnectionPool) -> list[PeriodicTask]:
    """The statements the database declares for this loop (private.schedule), at their intervals."""
    async with pool.connection() as conn:
        declared = await schedule.read(conn)
    return [PeriodicTask(j.name, j.statement, j.every.total_seconds()) for j in declared if j.statement]


@contextlib.asynccontextmanager
async def running_declared(pool: AsyncConnectionPool, retry_s: float = 5.0) -> AsyncIterator[None]:
    """Run the database's declared tasks for the duration of the block, once the database answers
    (the service starts whether or not it is up)."""
    stop = asyncio.Event()

    async def supervise() -> None:
        while not stop.is_set():
            try:
                tasks = await declared_tasks(pool)
            except (psycopg.Error, TimeoutError) as exc:
                logger.warning("cannot read the task schedule yet: %s", type(exc).__name__)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), retry_s)
                continue
            async with running(pool, tasks):
                await stop.wait()

    supervisor = asyncio.create_task(supervise(), name="periodic:declared")
    try:
        yield
    finally:
        stop.set()
        supervisor.cancel()
        await asyncio.gather(supervisor, return_exceptions=True)
