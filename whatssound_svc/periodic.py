"""Periodic database maintenance the service runs while it is up.

Each task is one SQL call, run at a fixed interval by every service instance but executed by
only one at a time (a transaction-level advisory lock per task), so scaling out the service
never multiplies the work. On a hosted project the same calls can be scheduled with pg_cron
instead; the background-jobs issue moves them into the job system.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

import psycopg
from psycopg_pool import AsyncConnectionPool

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


async def _loop(pool: AsyncConnectionPool, task: PeriodicTask) -> None:
    while True:
        try:
            await run_once(pool, task)
        except (psycopg.Error, TimeoutError) as exc:
            logger.warning(
                "periodic task %s failed: %s", task.name, type(exc).__name__, extra={"task": task.name}
            )
        await asyncio.sleep(task.interval_s)


@contextlib.asynccontextmanager
async def running(pool: AsyncConnectionPool, tasks: list[PeriodicTask]) -> AsyncIterator[None]:
    """Run the tasks in the background for the duration of the block."""
    handles = [asyncio.create_task(_loop(pool, t), name=f"periodic:{t.name}") for t in tasks]
    try:
        yield
    finally:
        for handle in handles:
            handle.cancel()
        for handle in handles:
            with contextlib.suppress(asyncio.CancelledError):
                await handle


def maintenance_tasks(presence_interval_s: float) -> list[PeriodicTask]:
    """The service's periodic maintenance."""
    return [PeriodicTask("refresh_presence", "select private.refresh_presence()", presence_interval_s)]
