"""Periodic database maintenance the service runs while it is up.

Each task is one SQL call, run at a fixed interval by every service instance but executed by
only one at a time (a transaction-level advisory lock per task), so scaling out the service
never multiplies the work. The realtime work (flush, presence refresh, prune) is declared in the
database, ``private.schedule`` (sql/ops/*_ops-schedule.sql): pg_cron runs it there where it
exists (hosted Supabase), so live rooms do not depend on this service being up, and the service
reads the same declaration and runs it too (safe from both places: every statement is
idempotent). The rest of the maintenance is listed here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

import psycopg
from psycopg_pool import AsyncConnectionPool

from whatssound_svc.settings import Settings

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
    """The recurring work the database declares (private.schedule)."""
    async with pool.connection() as conn:
        cur = await conn.execute(
            "select name, statement, extract(epoch from every)::float8 from private.schedule order by name"
        )
        return [PeriodicTask(name, statement, interval) for name, statement, interval in await cur.fetchall()]


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


def maintenance_tasks(settings: Settings) -> list[PeriodicTask]:
    """The service's own periodic maintenance (the realtime work is declared in the database)."""
    return [
        PeriodicTask(
            "account_deletions",
            "select private.process_account_deletions()",
            settings.account_deletion_interval_s,
        ),
        PeriodicTask("sms_audit_prune", "select private.prune_sms_sends()", 3600.0),
        PeriodicTask("abandoned_sessions", "select private.end_abandoned_sessions()", 60.0),
        PeriodicTask("retention", "select private.prune_retention()", 3600.0),
        PeriodicTask("unpaid_tips", "select private.expire_unpaid_tips()", 3600.0),
        PeriodicTask(
            "webhook_events",
            "select private.process_webhook_events()",
            settings.webhook_processing_interval_s,
        ),
    ]
