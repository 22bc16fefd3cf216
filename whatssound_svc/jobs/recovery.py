"""How jobs come back: failed attempts retry with jittered backoff, and the jobs of a worker whose
heartbeat stopped (killed, lost its machine) are put back to run again.

Tasks import this module, never :mod:`whatssound_svc.jobs.queue` (which imports every task to
build the app): no import circle.
"""

from __future__ import annotations

import datetime as dt
import logging
import random

import procrastinate
from procrastinate import RetryDecision
from procrastinate.jobs import Job, Status
from procrastinate.retry import BaseRetryStrategy

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
