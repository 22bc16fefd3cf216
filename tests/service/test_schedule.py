"""What runs when (issue 21 §3): every recurring job is a row of ``private.schedule``, and each
scheduler (pg_cron, the service's periodic loop, the job workers) takes exactly its rows, at their
intervals; nothing schedules recurring work anywhere else."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import re

import croniter
import psycopg
import pytest
from psycopg_pool import AsyncConnectionPool

from tests.conftest import FreshDb
from whatssound_svc import paths, periodic, schedule
from whatssound_svc.jobs import queue

#: Migrations that called pg_cron themselves before the declaration existed, and why that is safe:
#: every job they made is named whatssound-*, so private.sync_cron() owns it (updates it to the
#: declaration or unschedules it; ops-schedule did both).
HISTORIC_CRON_CALLS = {
    "sql/realtime/20261127210300_realtime-schedule.sql": "whatssound-realtime-flush, -prune: now declared",
    "sql/auth/20261127220300_auth-sms-guard.sql": "whatssound-sms-prune: unscheduled by ops-schedule",
}
#: The migrations defining private.sync_cron, which schedules pg_cron from the declaration.
SYNC_CRON = {"sql/ops/20261202070600_ops-schedule.sql", "sql/ops/20261203191707_ops-schedule-every-job.sql"}
#: Where scheduling code may live: the declaration's readers.
SCHEDULERS = {"whatssound_svc/periodic.py", "whatssound_svc/schedule.py"}


def _declared(conn: psycopg.Connection) -> list[tuple[str, dt.timedelta, str | None, str | None, str]]:
    return conn.execute(
        "select name, every, statement, task, runs_on from private.schedule order by name"
    ).fetchall()


def test_nothing_schedules_recurring_work_outside_the_declaration() -> None:
    """Fails when a job is scheduled without a row in private.schedule: a procrastinate periodic
    decorator, a hand-made periodic task or loop, or a migration calling pg_cron itself."""
    python = {
        str(path.relative_to(paths.REPO_ROOT)): path.read_text()
        for path in (paths.REPO_ROOT / "whatssound_svc").rglob("*.py")
    }
    scheduling = re.compile(r"\.periodic\(|PeriodicTask\(|register_task\(|cron=")
    assert sorted(p for p, text in python.items() if scheduling.search(text) and p not in SCHEDULERS) == []
    sql = {
        str(path.relative_to(paths.REPO_ROOT)): path.read_text()
        for path in (paths.REPO_ROOT / "sql").rglob("*.sql")
        if "schema" not in path.relative_to(paths.REPO_ROOT / "sql").parts[:1]
    }
    cron_calls = {p for p, text in sql.items() if re.search(r"\.schedule\(", text)}
    assert cron_calls == set(HISTORIC_CRON_CALLS) | SYNC_CRON
    for path in HISTORIC_CRON_CALLS:
        names = re.findall(r"cron\.schedule\('([^']+)'", sql[path])
        assert names, path
        assert all(n.startswith("whatssound-") for n in names), path
    # The job queue's tasks carry no schedule of their own: the workers take it from the declaration.
    assert queue.make_app("postgresql://unused/x").periodic_registry.periodic_tasks == {}


def test_the_declaration_says_how_each_job_runs(db: psycopg.Connection) -> None:
    rows = _declared(db)
    assert len({name for name, *_ in rows}) == len(rows) >= 14
    for name, every, statement, task, runs_on in rows:
        if runs_on == "workers":
            assert (statement, bool(task)) == (None, True), name
            schedule.cron(every)  # raises unless the workers can keep the interval exactly
        else:
            assert (bool(statement), task) == (True, None), name
    # pg_cron runs SQL, never a worker's task:
    with pytest.raises(psycopg.errors.CheckViolation), db.transaction():
        db.execute(
            "insert into private.schedule (name, task, every, runs_on, description)"
            " values ('x', 'push:receipts', interval '1 minute', 'database', 'x')"
        )


def test_the_services_loop_runs_every_declared_statement_at_its_interval(fresh_db: FreshDb) -> None:
    async def read() -> list[periodic.PeriodicTask]:
        async with AsyncConnectionPool(fresh_db.url(), min_size=1, max_size=1, open=False) as pool:
            return await periodic.declared_tasks(pool)

    with fresh_db.connect() as conn:
        expected = [
            periodic.PeriodicTask(name, statement, every.total_seconds())
            for name, every, statement, _, runs_on in _declared(conn)
            if runs_on in ("database", "service")
        ]
    assert asyncio.run(read()) == expected
    assert {t.name for t in expected} >= {
        "realtime_flush",
        "account_deletions",
        "webhook_events",
        "retention",
    }


def test_the_workers_defer_exactly_the_declared_tasks_at_their_intervals(fresh_db: FreshDb) -> None:
    app = queue.make_app(fresh_db.url())

    async def register() -> list[str]:
        async with app.open_async():
            await schedule.register_periodic(app)
            return await schedule.register_periodic(app)  # again, as a restarted worker does

    registered = asyncio.run(register())
    with fresh_db.connect() as conn:
        declared = {(task, name): every for name, every, _, task, _ in _declared(conn) if task}
    assert set(registered) == {name for _, name in declared}
    assert set(app.periodic_registry.periodic_tasks) == set(declared)
    start = dt.datetime(2026, 12, 3, 0, 0, tzinfo=dt.UTC)
    for key, every in declared.items():
        ticks = croniter.croniter(app.periodic_registry.periodic_tasks[key].cron, start)
        fired = [ticks.get_next(dt.datetime) for _ in range(4)]
        assert {b - a for a, b in itertools.pairwise(fired)} == {every}, key


@pytest.mark.parametrize(
    ("every", "expression"),
    [
        (dt.timedelta(seconds=1), "* * * * * *"),
        (dt.timedelta(seconds=10), "* * * * * */10"),  # recover_stalled, as the decorator had it
        (dt.timedelta(minutes=1), "* * * * *"),  # push and catalogue, as the decorators had it
        (dt.timedelta(minutes=5), "*/5 * * * *"),
        (dt.timedelta(hours=1), "0 * * * *"),
        (dt.timedelta(hours=6), "0 */6 * * *"),
        (dt.timedelta(days=1), "0 0 * * *"),
    ],
)
def test_an_interval_becomes_the_workers_cron_expression(every: dt.timedelta, expression: str) -> None:
    assert schedule.cron(every) == expression


@pytest.mark.parametrize("every", [dt.timedelta(seconds=7), dt.timedelta(seconds=90), dt.timedelta(hours=5)])
def test_an_interval_the_workers_cannot_keep_evenly_is_refused(every: dt.timedelta) -> None:
    with pytest.raises(ValueError, match="no even cron schedule"):
        schedule.cron(every)


@pytest.fixture
def fake_cron(db: psycopg.Connection) -> str:
    """pg_cron is never installed here: a schema with its job tables and the two functions we call,
    as pg_cron 1.6 defines them, recording what it is asked to do."""
    db.execute("create schema cron_fake")
    db.execute(
        "create table cron_fake.job (jobid bigserial primary key, schedule text not null, command text not null,"
        " jobname text unique)"
    )
    db.execute(
        "create table cron_fake.job_run_details (jobid bigint, runid bigserial primary key, command text,"
        " status text, start_time timestamptz, end_time timestamptz)"
    )
    db.execute(
        "create function cron_fake.schedule(job_name text, schedule text, command text) returns bigint"
        " language sql as $$ insert into cron_fake.job (jobname, schedule, command) values ($1, $2, $3)"
        " on conflict (jobname) do update set schedule = excluded.schedule, command = excluded.command"
        " returning jobid $$"
    )
    db.execute(
        "create function cron_fake.unschedule(job_name text) returns boolean"
        " language sql as $$ delete from cron_fake.job where jobname = $1 returning true $$"
    )
    # What earlier migrations left in pg_cron, and a job that is not ours.
    db.execute(
        "select cron_fake.schedule('whatssound-sms-prune', '17 4 * * *', 'select private.prune_sms_sends()')"
    )
    db.execute(
        "select cron_fake.schedule('whatssound-realtime-flush', '1 seconds', 'select private.realtime_flush()')"
    )
    db.execute("select cron_fake.schedule('another-app-job', '0 * * * *', 'select 1')")
    return "cron_fake"


def test_pg_cron_gets_the_database_jobs_and_nothing_else(db: psycopg.Connection, fake_cron: str) -> None:
    assert db.execute("select private.sync_cron()").fetchone() == (0,), "no pg_cron here: a no-op"
    assert db.execute("select private.sync_cron_in(%s)", (fake_cron,)).fetchone() == (4,)
    jobs = db.execute("select jobname, schedule, command from cron_fake.job order by jobname").fetchall()
    assert jobs == [
        ("another-app-job", "0 * * * *", "select 1"),  # not ours: left alone
        ("whatssound-prune-cron-history", "0 */1 * * *", "select private.prune_cron_history()"),
        ("whatssound-realtime-flush", "1 seconds", "select private.realtime_flush()"),
        ("whatssound-realtime-prune", "*/5 * * * *", "select private.realtime_prune()"),
        ("whatssound-refresh-presence", "5 seconds", "select private.refresh_presence()"),
    ]  # whatssound-sms-prune (undeclared for pg_cron) is gone; the service's jobs are not here
    assert db.execute("select private.sync_cron_in(%s)", (fake_cron,)).fetchone() == (4,)
    assert db.execute("select count(*) from cron_fake.job").fetchone() == (5,), "run again: the same jobs"


def test_the_schedule_shows_when_pg_cron_and_the_workers_last_ran_a_job(
    db: psycopg.Connection, fake_cron: str
) -> None:
    db.execute("select private.sync_cron_in(%s)", (fake_cron,))
    db.execute(
        "insert into cron_fake.job_run_details (jobid, command, status, start_time, end_time)"
        " select jobid, command, 'succeeded', ('2026-12-03 10:00:0' || n || '+00')::timestamptz, now()"
        " from cron_fake.job, generate_series(1, 3) as n where jobname = 'whatssound-realtime-flush'"
    )
    job = db.execute("select private.enqueue_job('push:receipts', '{\"timestamp\": 0}', 'push')").fetchone()[
        0
    ]  # type: ignore[index]
    db.execute("update procrastinate.procrastinate_jobs set status = 'doing' where id = %s", (job,))
    rows = {r[0]: r for r in db.execute("select * from private.scheduled_jobs(%s)", (fake_cron,)).fetchall()}
    assert set(rows) == {name for name, *_ in _declared(db)}
    assert rows["realtime_flush"][1:5] == (
        dt.timedelta(seconds=1), "select private.realtime_flush()", "database",
        dt.datetime(2026, 12, 3, 10, 0, 3, tzinfo=dt.UTC),
    )  # fmt: skip
    assert rows["push_receipts"][2:4] == ("push:receipts", "workers")
    assert rows["push_receipts"][4] is not None, "the workers' last start is in the queue"
    assert rows["realtime_prune"][4] is None, "never run by pg_cron"
    assert rows["account_deletions"][3:5] == ("service", None), "the service does not record its runs"
    without = db.execute("select name, last_run_at from private.scheduled_jobs() where runs_on = 'database'")
    assert {last for _, last in without.fetchall()} == {None}, "no pg_cron: no history to read"
