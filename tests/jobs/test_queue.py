"""The job queue (procrastinate in schema `procrastinate`): enqueued in the changing transaction,
retried with backoff, dead-lettered with its last error, recovered from dead workers, and run
once each by concurrent workers."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import re
import time
from collections.abc import Iterator
from typing import Any

import procrastinate
import psycopg
import pytest
from procrastinate import schema
from procrastinate.periodic import PeriodicRegistry

from tests.conftest import FreshDb
from whatssound_svc import paths, schedule
from whatssound_svc.jobs import queue, recovery, runner
from whatssound_svc.logs import JsonFormatter


def make_tasks() -> procrastinate.Blueprint:
    """Tasks of these tests (a blueprint binds its tasks to one app, so one per app)."""
    tasks = procrastinate.Blueprint()

    @tasks.task(name="record", pass_context=True)
    async def record(context: procrastinate.JobContext, key: str) -> None:
        """A side effect guarded by an idempotency key: running twice counts twice, applies once."""
        async with context.app.connector.pool.connection() as conn:  # type: ignore[attr-defined]
            await conn.execute(
                "insert into private.test_effects (key) values (%s) on conflict (key) do update"
                " set runs = private.test_effects.runs + 1",
                (key,),
            )

    @tasks.task(name="chatty")
    async def chatty() -> None:
        logging.getLogger("whatssound_svc.test").info("working")

    @tasks.task(name="broken", retry=recovery.JitteredBackoff(max_attempts=3, base_s=1.0))
    async def broken() -> None:
        raise RuntimeError("the provider said no")

    return tasks


@pytest.fixture
def jobs(fresh_db: FreshDb) -> Iterator[tuple[procrastinate.App, psycopg.Connection]]:
    app = queue.make_app(fresh_db.url())
    app.add_tasks_from(make_tasks(), namespace="test")
    with fresh_db.connect() as conn:
        conn.execute(
            "create table private.test_effects (key text primary key, runs integer not null default 1)"
        )
        yield app, conn


def work(app: procrastinate.App, **options: Any) -> None:
    """Run a worker until the queue has nothing due, as the service's workers would (with the
    declared periodic tasks)."""

    async def run() -> None:
        async with app.open_async():
            await schedule.register_periodic(app)
            await app.run_worker_async(wait=False, install_signal_handlers=False, **options)

    asyncio.run(run())


def effects(conn: psycopg.Connection) -> dict[str, int]:
    return dict(conn.execute("select key, runs from private.test_effects").fetchall())  # type: ignore[arg-type]


def test_the_schema_is_the_pinned_librarys_verbatim() -> None:
    migration = (paths.REPO_ROOT / "sql" / "jobs" / "20261128010000_jobs-procrastinate.sql").read_text()
    vendored = re.search(r"-- BEGIN procrastinate 3\.10\.0 schema\.sql\n(.*)-- END", migration, re.DOTALL)
    assert vendored is not None
    assert vendored[1] == schema.SchemaManager.get_schema().rstrip() + "\n"


def test_sql_enqueues_in_the_changing_transaction(jobs: tuple[procrastinate.App, psycopg.Connection]) -> None:
    app, conn = jobs
    with conn.transaction(force_rollback=True):  # the change fails: its transaction rolls back
        conn.execute("select private.enqueue_job('test:record', '{\"key\": \"rolled back\"}')")
    conn.execute("select private.enqueue_job('test:record', '{\"key\": \"committed\"}')")
    work(app)
    assert effects(conn) == {"committed": 1}


def test_a_queueing_lock_keeps_one_waiting_job(jobs: tuple[procrastinate.App, psycopg.Connection]) -> None:
    _, conn = jobs
    first = conn.execute(
        "select private.enqueue_job('test:record', '{\"key\": \"k\"}', p_queueing_lock => 'one')"
    )
    second = conn.execute(
        "select private.enqueue_job('test:record', '{\"key\": \"k\"}', p_queueing_lock => 'one')"
    )
    assert first.fetchone() != (None,)
    assert second.fetchone() == (None,)


def test_failures_back_off_then_dead_letter_with_the_last_error(
    jobs: tuple[procrastinate.App, psycopg.Connection],
) -> None:
    app, conn = jobs
    job_id = conn.execute("select private.enqueue_job('test:broken')").fetchone()[0]  # type: ignore[index]
    waits = []
    for _ in range(3):
        work(app)
        row = conn.execute(
            "select status::text, scheduled_at - now() from procrastinate.procrastinate_jobs where id = %s",
            (job_id,),
        ).fetchone()
        assert row is not None
        if row[0] == "todo":
            waits.append(row[1])
            conn.execute(
                "update procrastinate.procrastinate_jobs set scheduled_at = now() where id = %s", (job_id,)
            )
    assert row[0] == "failed", "after max_attempts the job is dead-lettered"
    assert len(waits) == 2
    assert dt.timedelta(seconds=0) <= waits[0] <= dt.timedelta(seconds=2.5)
    assert dt.timedelta(seconds=1) <= waits[1] <= dt.timedelta(seconds=4.5), "exponential"
    failures = conn.execute(
        "select attempt, error from private.job_failures where job_id = %s order by attempt", (job_id,)
    ).fetchall()
    assert failures == [(n, "RuntimeError: the provider said no") for n in (1, 2, 3)]


def test_a_dead_workers_job_runs_again_and_its_effect_applies_once(
    jobs: tuple[procrastinate.App, psycopg.Connection],
) -> None:
    app, conn = jobs
    job_id = conn.execute("select private.enqueue_job('test:record', '{\"key\": \"once\"}')").fetchone()[0]  # type: ignore[index]
    # What a worker killed mid-job leaves behind: the job `doing`, held by a worker that stopped beating.
    worker = conn.execute(
        "insert into procrastinate.procrastinate_workers (last_heartbeat) values (now() - interval '5 minutes')"
        " returning id"
    ).fetchone()[0]  # type: ignore[index]
    conn.execute("update procrastinate.procrastinate_jobs set status = 'doing', worker_id = %s where id = %s",
                 (worker, job_id))  # fmt: skip
    work(app)  # its periodic recover_stalled task puts the job back, then it runs
    assert effects(conn) == {"once": 1}
    status = conn.execute(
        "select status::text from procrastinate.procrastinate_jobs where id = %s", (job_id,)
    )
    assert status.fetchone() == ("succeeded",)
    work(app)
    assert effects(conn) == {"once": 1}, "and never again"


def test_concurrent_workers_run_each_job_once(jobs: tuple[procrastinate.App, psycopg.Connection]) -> None:
    app, conn = jobs
    conn.execute(
        "select private.enqueue_job('test:record', jsonb_build_object('key', 'k' || n)) from generate_series(1, 120) as n"
    )

    async def two_workers() -> None:
        async with app.open_async():
            await asyncio.gather(*(
                app.run_worker_async(wait=False, install_signal_handlers=False, concurrency=4, name=f"w{n}")
                for n in range(2)
            ))  # fmt: skip

    asyncio.run(two_workers())
    done = effects(conn)
    assert len(done) == 120
    assert set(done.values()) == {1}


def test_log_lines_written_during_a_job_carry_its_id_and_task(
    jobs: tuple[procrastinate.App, psycopg.Connection],
) -> None:
    app, conn = jobs
    job_id = conn.execute("select private.enqueue_job('test:chatty')").fetchone()[0]  # type: ignore[index]
    lines: list[str] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(JsonFormatter().format(record))  # formatted while the job runs

    handler = Capture()
    logger = logging.getLogger("whatssound_svc.test")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        work(app)
    finally:
        logger.removeHandler(handler)
    [line] = [json.loads(x) for x in lines]
    assert (line["msg"], line["job_id"], line["task"]) == ("working", job_id, "test:chatty")


def test_the_in_process_worker_stops_when_asked_whenever_that_is(fresh_db: FreshDb) -> None:
    """The service's shutdown must never wait on the worker: cancelled while starting, idle or
    running its periodic jobs, it stops (procrastinate absorbs the cancellation; we must not
    take that for a lost database and start again), and leaves no task behind (a pool cancelled
    while opening kept its worker tasks, which then held up the event loop's close)."""
    app = queue.make_app(fresh_db.url())
    leftovers: list[str] = []

    async def cycles() -> None:
        before = asyncio.all_tasks()
        for delay in (0.0, 0.001, 0.005, 0.02, 0.05, 0.2, 1.0, 2.5):
            async with runner.running(app, concurrency=2, shutdown_timeout_s=2):
                await asyncio.sleep(delay)
            leftovers.extend(t.get_name() for t in asyncio.all_tasks() - before)

    started = time.monotonic()
    asyncio.run(asyncio.wait_for(cycles(), 60))
    assert time.monotonic() - started < 30
    assert leftovers == []


class QuietlyStoppingWorker:
    """procrastinate as a database outage leaves it: its LISTEN connection fails, and the worker
    stops without raising (the first run); the second run works until cancelled."""

    def __init__(self) -> None:
        self.connector = self
        self.periodic_registry = PeriodicRegistry()
        self.runs = 0

    async def execute_query_all_async(self, query: str) -> list[dict[str, Any]]:
        return []  # the declared periodic tasks: none

    async def open_async(self) -> None:
        return None

    async def close_async(self) -> None:
        return None

    async def run_worker_async(self, **_options: Any) -> None:
        self.runs += 1
        if self.runs > 1:
            await asyncio.Event().wait()


def test_a_worker_that_stopped_by_itself_is_started_again(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Found by the outage experiment (docs/faults.md (c)): the service stayed ready with no worker."""
    monkeypatch.setattr(runner, "RECONNECT_S", 0.01)
    app = QuietlyStoppingWorker()

    async def scenario() -> None:
        async with runner.running(app, concurrency=1):  # type: ignore[arg-type]
            while app.runs < 2:
                await asyncio.sleep(0.01)

    asyncio.run(asyncio.wait_for(scenario(), 10))
    assert app.runs == 2, "started again, then stopped when asked"
    assert "job worker stopped by itself (lost the database?)" in caplog.messages
