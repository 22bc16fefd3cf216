"""The service refreshes listener counts on its own, one instance at a time."""

from __future__ import annotations

import asyncio
import time

import psycopg
from fastapi.testclient import TestClient
from psycopg_pool import AsyncConnectionPool
from pydantic import SecretStr

from tests.support.api import Api, make_dj, make_session
from tests.support.gotrue import create_user
from whatssound_svc import periodic
from whatssound_svc.app import create_app
from whatssound_svc.periodic import PeriodicTask, run_once
from whatssound_svc.settings import Settings


def test_a_running_service_drops_stale_listeners_and_updates_counts(fresh_db) -> None:  # type: ignore[no-untyped-def]
    with fresh_db.connect("supabase_admin") as setup:
        setup.execute("set role postgres")
        api = Api(setup)
        session = make_session(api, make_dj(setup))
        for _ in range(3):
            api(create_user(setup), "join_session", p_session_id=session["id"])
        setup.execute("update public.session_members set last_seen_at = now() - interval '10 minutes'"
                      " where user_id in (select user_id from public.session_members limit 1)")  # fmt: skip
        setup.execute(
            "update private.schedule set every = interval '1 second' where name = 'refresh_presence'"
        )
    settings = Settings(database_url=SecretStr(fresh_db.url()), job_concurrency=0)
    with TestClient(create_app(settings)):
        deadline = time.monotonic() + 20
        count = None
        while time.monotonic() < deadline:
            with fresh_db.connect() as conn:
                count = conn.execute(
                    "select listener_count from public.dj_sessions where id = %s", (session["id"],)
                ).fetchone()
            if count == (2,):
                break
            time.sleep(0.1)
    assert count == (2,)


def test_only_one_instance_runs_a_task_at_a_time(fresh_db) -> None:  # type: ignore[no-untyped-def]
    task = PeriodicTask("slow", "select pg_sleep(0.5)", 1.0)

    async def race() -> list[bool]:
        async with AsyncConnectionPool(fresh_db.url(), min_size=2, max_size=2, open=False) as pool:
            return list(await asyncio.gather(run_once(pool, task), run_once(pool, task)))

    assert sorted(asyncio.run(race())) == [False, True]
    with psycopg.connect(fresh_db.url()) as conn:  # nothing left locked
        assert conn.execute("select count(*) from pg_locks where locktype = 'advisory'").fetchone() == (0,)


def test_shutdown_ends_tasks_even_when_a_library_swallows_the_cancellation(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """psycopg_pool can swallow a CancelledError that lands inside getconn; the service must still stop."""

    async def swallowing(pool: object, task: PeriodicTask) -> bool:
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            return False
        return True

    monkeypatch.setattr(periodic, "run_once", swallowing)

    async def start_and_stop() -> None:
        async with periodic.running(None, [PeriodicTask("swallow", "select 1", 60.0)]):  # type: ignore[arg-type]
            await asyncio.sleep(0.05)

    async def main() -> bool:
        done, _ = await asyncio.wait({asyncio.create_task(start_and_stop())}, timeout=5)
        return bool(done)

    assert asyncio.run(main()), "the service did not stop"


def test_a_running_service_completes_account_deletions(fresh_db) -> None:  # type: ignore[no-untyped-def]
    with fresh_db.connect("supabase_admin") as setup:
        setup.execute("set role postgres")
        user = create_user(setup)
        Api(setup)(user, "delete_my_account")
        setup.execute(
            "update private.schedule set every = interval '1 second' where name = 'account_deletions'"
        )
    settings = Settings(database_url=SecretStr(fresh_db.url()), job_concurrency=0)
    with TestClient(create_app(settings)):
        deadline = time.monotonic() + 20
        gone = False
        while time.monotonic() < deadline and not gone:
            with fresh_db.connect() as conn:
                gone = conn.execute(
                    "select not exists (select 1 from auth.users where id = %s)", (user.id,)
                ).fetchone() == (True,)
            time.sleep(0.1)
    assert gone, "the auth.users row is removed by the service"


def test_pg_cron_run_history_is_pruned_to_a_day(db) -> None:  # type: ignore[no-untyped-def]
    # pg_cron is not installed here: its table, as pg_cron 1.6 defines it, in a schema of its own.
    db.execute("create schema cron_history_test")
    db.execute(
        "create table cron_history_test.job_run_details (jobid bigint, runid bigint primary key, job_pid integer,"
        " database text, username text, command text, status text, return_message text,"
        " start_time timestamptz, end_time timestamptz)"
    )
    db.execute(
        "insert into cron_history_test.job_run_details (jobid, runid, command, status, start_time, end_time)"
        " select 1, n, 'select private.realtime_flush()', 'succeeded', now() - make_interval(secs => n),"
        " now() - make_interval(secs => n) from generate_series(1, 90000, 3) as n"  # 30,000 runs over 25 h
    )
    db.execute("update private.settings set value = '7000' where key = 'cron_history_batch'")
    old = db.execute(
        "select count(*) from cron_history_test.job_run_details where end_time < now() - interval '1 day'"
    ).fetchone()
    assert db.execute("select private.prune_cron_history_in('cron_history_test')").fetchone() == old
    kept = db.execute(
        "select count(*), min(end_time) > now() - interval '1 day' from cron_history_test.job_run_details"
    )
    assert kept.fetchone() == (30000 - old[0], True)  # type: ignore[index]
    assert db.execute("select private.prune_cron_history()").fetchone() == (0,)  # no pg_cron: nothing to do
    assert (
        db.execute("select every from private.schedule where name = 'prune_cron_history'").fetchone()
        is not None
    )
