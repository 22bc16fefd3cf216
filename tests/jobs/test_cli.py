"""`whatssound jobs failed / retry / purge` against a real database, output asserted."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tests.conftest import FreshDb
from whatssound_svc.cli import app as cli


def test_an_operator_finds_a_dead_job_and_retries_it(fresh_db: FreshDb) -> None:
    env = {"DATABASE_URL": fresh_db.url(), "COLUMNS": "200"}
    with fresh_db.connect() as conn:
        job = conn.execute(
            "select private.enqueue_job('push:fanout_live', '{\"session_id\": \"x\"}', 'push')"
        ).fetchone()[0]  # type: ignore[index]
        conn.execute(
            "update procrastinate.procrastinate_jobs set status = 'failed', attempts = 6 where id = %s",
            (job,),
        )
        conn.execute(
            "insert into private.job_failures (job_id, task_name, attempt, error)"
            " values (%s, 'push:fanout_live', 5, 'OperationalError: timeout'),"
            " (%s, 'push:fanout_live', 6, 'ValueError: no such session')",
            (job, job),
        )
        listed = CliRunner().invoke(cli, ["jobs", "failed", "--json"], env=env)
        assert listed.exit_code == 0, listed.output
        [dead] = json.loads(listed.output)
        assert (dead["id"], dead["task"], dead["attempts"], dead["last_error"]) == (
            job, "push:fanout_live", 6, "ValueError: no such session"
        )  # fmt: skip
        table = CliRunner().invoke(cli, ["jobs", "failed"], env=env)
        assert "ValueError: no such session" in table.output
        assert "whatssound jobs retry <id>" in table.output
        retried = CliRunner().invoke(cli, ["jobs", "retry", str(job)], env=env)
        assert (retried.exit_code, retried.output.strip()) == (0, f"job {job} queued again")
        status = conn.execute(
            "select status::text from procrastinate.procrastinate_jobs where id = %s", (job,)
        )
        assert status.fetchone() == ("todo",)
        again = CliRunner().invoke(cli, ["jobs", "retry", str(job)], env=env)
        assert again.exit_code == 3
        assert "is not failed" in again.output


def test_purge_keeps_recent_and_unfinished_jobs(fresh_db: FreshDb) -> None:
    env = {"DATABASE_URL": fresh_db.url()}
    with fresh_db.connect() as conn:
        done, waiting = (conn.execute("select private.enqueue_job('push:send')").fetchone()[0],  # type: ignore[index]
                         conn.execute("select private.enqueue_job('push:receipts')").fetchone()[0])  # type: ignore[index]  # fmt: skip
        conn.execute(
            "update procrastinate.procrastinate_jobs set status = 'succeeded' where id = %s", (done,)
        )
        conn.execute(
            "update procrastinate.procrastinate_events set at = now() - interval '10 days' where job_id = %s",
            (done,),
        )
        both = [(done,), (waiting,)]
        dry = CliRunner().invoke(cli, ["jobs", "purge", "--older-than", "7d", "--dry-run"], env=env)
        assert dry.output.strip() == "would delete 1 job(s) finished more than 7d ago (run without --dry-run)"
        assert conn.execute("select id from procrastinate.procrastinate_jobs order by id").fetchall() == both
        unasked = CliRunner().invoke(cli, ["jobs", "purge", "--older-than", "7d"], env=env)
        assert unasked.exit_code == 1  # no terminal to confirm on, and no --yes: nothing deleted
        assert "add --yes" in unasked.output
        assert conn.execute("select id from procrastinate.procrastinate_jobs order by id").fetchall() == both
        result = CliRunner().invoke(cli, ["jobs", "purge", "--older-than", "7d", "--yes"], env=env)
        assert result.output.strip() == "deleted 1 job(s) finished more than 7d ago"
        left = conn.execute("select id from procrastinate.procrastinate_jobs").fetchall()
        assert left == [(waiting,)]
        bad = CliRunner().invoke(cli, ["jobs", "purge", "--older-than", "a week"], env=env)
        assert bad.exit_code == 2


def test_the_schedule_lists_every_declared_job_and_its_last_run(fresh_db: FreshDb) -> None:
    env = {"DATABASE_URL": fresh_db.url(), "COLUMNS": "200"}
    with fresh_db.connect() as conn:
        declared = conn.execute(
            "select name, extract(epoch from every)::float8 from private.schedule"
        ).fetchall()
        job = conn.execute(
            "select private.enqueue_job('catalogue:verify', '{\"timestamp\": 0}', 'catalogue')"
        )
        conn.execute(
            "update procrastinate.procrastinate_jobs set status = 'doing' where id = %s", job.fetchone()
        )
    listed = CliRunner().invoke(cli, ["jobs", "schedule", "--json"], env=env)
    assert listed.exit_code == 0, listed.output
    jobs = {j["name"]: j for j in json.loads(listed.output)}
    assert {(name, j["every"]) for name, j in jobs.items()} == set(declared)
    assert jobs["realtime_flush"] | {"description": ""} == {
        "name": "realtime_flush", "every": 1.0, "runs": "select private.realtime_flush()", "where": "database",
        "last_run_at": None, "description": "",
    }  # fmt: skip
    assert (jobs["catalogue_verify"]["runs"], jobs["catalogue_verify"]["where"]) == (
        "catalogue:verify",
        "workers",
    )
    assert jobs["catalogue_verify"]["last_run_at"] is not None
    assert jobs["webhook_events"]["where"] == "service"
    table = CliRunner().invoke(cli, ["jobs", "schedule"], env=env)
    assert table.exit_code == 0, table.output
    assert f"{len(declared)} recurring job(s)" in table.output
    assert "select private.process_account_deletions()" in table.output
