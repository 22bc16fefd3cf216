"""Run a job worker for as long as the process lives, riding out database outages."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import AsyncIterator

import procrastinate
import psycopg
from procrastinate.app import WorkerOptions

from whatssound_svc import schedule

logger = logging.getLogger(__name__)

#: Wait before reconnecting after the worker lost the database.
RECONNECT_S = 5.0


@contextlib.asynccontextmanager
async def _opened(app: procrastinate.App) -> AsyncIterator[None]:
    """``app.open_async()``, but a pool whose opening fails or is cancelled is closed too (else its
    worker tasks outlive it and hold up the event loop's close)."""
    try:
        await app.connector.open_async()
    except BaseException:
        await app.connector.close_async()
        raise
    try:
        yield
    finally:
        await app.connector.close_async()


async def work_forever(
    app: procrastinate.App,
    *,
    concurrency: int,
    name: str | None = None,
    queues: list[str] | None = None,
    shutdown_timeout_s: float = 10.0,
) -> None:
    """Run a worker (all queues by default) until cancelled; if the database goes away, wait and
    start again. On cancellation running jobs get ``shutdown_timeout_s`` to finish (then they are
    cancelled and, like a dead worker's, run again elsewhere)."""
    name = name or f"{socket.gethostname()}-worker"
    options: WorkerOptions = {
        "concurrency": concurrency, "install_signal_handlers": False, "name": name,
        "shutdown_graceful_timeout": shutdown_timeout_s,
    }  # fmt: skip
    if queues:
        options["queues"] = queues
    this = asyncio.current_task()
    while True:
        try:
            async with _opened(app):
                await schedule.register_periodic(app)  # the declared periodic tasks, read again each start
                logger.info("job worker started", extra={"worker": name, "concurrency": concurrency})
                await app.run_worker_async(**options)
            if this is None or this.cancelling():
                return  # the worker stopped because it was asked to (procrastinate absorbs the cancellation)
            # Not asked to: a side task (the heartbeat, the LISTEN connection) lost the database and
            # procrastinate stopped the worker quietly (the fault suite's outage, docs/faults.md).
            logger.warning("job worker stopped by itself (lost the database?)", extra={"worker": name})
        except (psycopg.Error, procrastinate.exceptions.ConnectorException, OSError) as exc:
            logger.warning("job worker lost the database: %s", type(exc).__name__, extra={"worker": name})
        await asyncio.sleep(RECONNECT_S)


@contextlib.asynccontextmanager
async def running(
    app: procrastinate.App, *, concurrency: int, shutdown_timeout_s: float = 10.0
) -> AsyncIterator[None]:
    """A worker in the background for the duration of the block (none if concurrency is 0)."""
    if concurrency <= 0:
        yield
        return
    task = asyncio.create_task(
        work_forever(app, concurrency=concurrency, shutdown_timeout_s=shutdown_timeout_s), name="job-worker"
    )
    try:
        yield
    finally:
        task.cancel()  # procrastinate lets running jobs finish (its graceful shutdown), then stops
        await asyncio.gather(task, return_exceptions=True)
