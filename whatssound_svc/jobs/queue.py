"""The procrastinate app: connection, failure log, and the tasks it runs.

Connections pin ``search_path`` to the ``procrastinate`` schema (its queries are unqualified).
Failed attempts are written to ``private.job_failures`` by a worker middleware, so a job that
ends ``failed`` (the dead letter) keeps its last error. Retries back off exponentially with
full jitter, and workers send heartbeats so the jobs of a dead one run again
(:mod:`whatssound_svc.jobs.recovery`: ``recover_stalled`` is periodic, declared in
private.schedule); tasks whose side effect must not repeat guard it with an idempotency key in their
own tables. No task here is periodic by itself: the workers schedule the declared ones
(:func:`whatssound_svc.schedule.register_periodic`).
"""

from __future__ import annotations

import logging
from typing import Any

import procrastinate
import psycopg
from procrastinate import JobContext
from procrastinate.worker import Worker
from psycopg_pool import AsyncConnectionPool

from whatssound_svc.catalogue import tasks as catalogue_tasks
from whatssound_svc.jobs import maintenance
from whatssound_svc.jobs.recovery import STALLED_AFTER_S
from whatssound_svc.logs import job_var
from whatssound_svc.media import tasks as media_tasks
from whatssound_svc.payments import tasks as payment_tasks
from whatssound_svc.push import tasks as push_tasks

logger = logging.getLogger(__name__)


async def _schema_path(conn: psycopg.AsyncConnection[Any]) -> None:
    await conn.execute("set search_path = procrastinate, pg_catalog")
    await conn.commit()


def _pool(**kwargs: Any) -> AsyncConnectionPool:
    return AsyncConnectionPool(configure=_schema_path, **kwargs)


async def record_failures(call_next: Any, context: JobContext, worker: Worker) -> Any:
    """Worker middleware: log lines carry the job; each failed attempt and its error go to
    private.job_failures."""
    job = context.job
    token = job_var.set((job.id or 0, job.task_name))
    try:
        return await call_next()
    except Exception as exc:
        try:
            async with context.app.connector.pool.connection() as conn:  # type: ignore[attr-defined]
                await conn.execute(
                    "insert into private.job_failures (job_id, task_name, attempt, error)"
                    " values (%s, %s, %s, %s)",
                    (job.id, job.task_name, job.attempts + 1, f"{type(exc).__name__}: {exc}"[:2000]),
                )
        except psycopg.Error:
            logger.warning("could not record a job failure")
        raise
    finally:
        job_var.reset(token)


def make_app(
    database_url: str,
    *,
    pool_size: int = 4,
    heartbeat_s: float = 10.0,
    stalled_after_s: float = STALLED_AFTER_S,
) -> procrastinate.App:
    """The app, with every task of the service (not opened). Workers beat every ``heartbeat_s``; a
    worker silent for ``stalled_after_s`` is dead and its jobs run again."""

    connector = procrastinate.PsycopgConnector(
        conninfo=database_url, pool_factory=_pool, min_size=1, max_size=pool_size
    )
    app = procrastinate.App(
        connector=connector,
        worker_defaults={
            "worker_middleware": [record_failures],
            "update_heartbeat_interval": heartbeat_s,
            "stalled_worker_timeout": stalled_after_s,
        },
    )
    app.add_tasks_from(maintenance.blueprint(), namespace="jobs")
    app.add_tasks_from(push_tasks.blueprint(), namespace="push")
    app.add_tasks_from(media_tasks.blueprint(), namespace="media")
    app.add_tasks_from(catalogue_tasks.blueprint(), namespace="catalogue")
    app.add_tasks_from(payment_tasks.blueprint(), namespace="payments")
    return app
