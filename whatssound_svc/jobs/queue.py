"""The procrastinate app: connection, retry policy, failure log, and the tasks it runs.

Connections pin ``search_path`` to the ``procrastinate`` schema (its queries are unqualified).
Failed attempts are written to ``private.job_failures`` by a worker middleware, so a job that
ends ``failed`` (the dead letter) keeps its last error. Retries back off exponentially with
full jitter. Workers send heartbeats; a job held by a worker whose heartbeat stopped (killed,
lost its machine) is put back by ``recover_stalled`` (periodic, declared in private.schedule) and
runs again; tasks whose side effect must not repeat guard it with an idempotency key in their
own tables. No task here is periodic by itself: the workers schedule the declared ones
(:func:`whatssound_svc.schedule.register_periodic`).
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from typing import Any

import procrastinate
import psycopg
from procrastinate import JobContext, RetryDecision
from procrastinate.jobs import Job, Status
from procrastinate.retry import BaseRetryStrategy
from procrastinate.worker import Worker
from psycopg_pool import AsyncConnectionPool

from whatssound_svc.logs import job_var

logger = logging.getLogger(__name__)

#: A worker whose heartbeat is older than this is considered dead (procrastinate beats every 10 s).
STALLED_AFTER_S = 60.0


class JitteredBackoff(BaseRetryStrategy):
    """Retry up to ``max_attempts`` runs in all, waiting a random time in [0, min(cap, base * 2^n)]."""

    def __init__(self, max_attempts: int = 6, base_s: float = 2.0, cap_s: float = 600.0) -> None:
        self.max_attempts, self.base_s, self.cap_s = max_attempts, base_s, cap_s

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        if job.attempts + 1 >= self.max_attempts:
            return None  # the job ends `failed`: the dead letter, with its errors in private.job_failures
        ceiling = min(self.cap_s, self.base_s * 2 ** (job.attempts + 1))
        return RetryDecision(retry_in={"seconds": int(random.uniform(ceiling / 2, ceiling))})  # noqa: S311


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
    from whatssound_svc.catalogue import tasks as catalogue_tasks  # noqa: PLC0415
    from whatssound_svc.jobs import maintenance  # noqa: PLC0415 (tasks import this module)
    from whatssound_svc.media import tasks as media_tasks  # noqa: PLC0415
    from whatssound_svc.payments import tasks as payment_tasks  # noqa: PLC0415
    from whatssound_svc.push import tasks as push_tasks  # noqa: PLC0415

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


async def recover_stalled(app: procrastinate.App) -> int:
    """Put back the jobs of workers that stopped beating; returns how many."""
    stalled_after_s = float(app.worker_defaults.get("stalled_worker_timeout", STALLED_AFTER_S))
    jobs = list(await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after_s))
    for job in jobs:
        try:
            await app.job_manager.retry_job(job, retry_at=dt.datetime.now(dt.UTC))
            logger.warning("stalled job put back", extra={"job_id": job.id, "task": job.task_name})
        except procrastinate.exceptions.UniqueViolation:
            # A job with the same queueing lock is already waiting and will do this work: close this one.
            await app.job_manager.finish_job(job, status=Status.ABORTED, delete_job=False)
            logger.warning("stalled job closed: a waiting twin does its work", extra={"job_id": job.id})
    return len(jobs)
