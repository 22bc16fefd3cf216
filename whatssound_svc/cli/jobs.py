"""``whatssound jobs``: run workers, look after failed jobs, and show what runs when."""

from __future__ import annotations

import asyncio
import contextlib
import re
from typing import Annotated

import psycopg
import typer

from whatssound_svc.cli.db import target
from whatssound_svc.cli.options import DbUrl, DryRun, Json, Yes, confirm
from whatssound_svc.cli.output import emit
from whatssound_svc.jobs import queue, runner

app = typer.Typer(
    help="Background jobs (procrastinate, schema `procrastinate`) and the recurring work's schedule.",
    no_args_is_help=True,
)


@app.command()
def worker(
    db_url: DbUrl = None,
    concurrency: Annotated[int, typer.Option(min=1, max=64, help="Jobs run at once.")] = 4,
    queues: Annotated[
        list[str] | None, typer.Option("--queue", help="Only these queues (repeat); default all.")
    ] = None,
    heartbeat_s: Annotated[
        float, typer.Option(envvar="WHATSSOUND_JOB_HEARTBEAT_S", help="Seconds between heartbeats.")
    ] = 10.0,
    stalled_after_s: Annotated[
        float,
        typer.Option(envvar="WHATSSOUND_JOB_STALLED_AFTER_S", help="Silence after which a worker is dead."),
    ] = 60.0,
) -> None:
    """Run a job worker until Ctrl-C (add as many as the load needs; they share the work).

    Example: whatssound jobs worker --concurrency 8 --queue push
    """
    with target(db_url, None) as where:
        jobs = queue.make_app(where.url, heartbeat_s=heartbeat_s, stalled_after_s=stalled_after_s)
        known = sorted({task.queue for task in jobs.tasks.values()})
        if unknown := sorted(set(queues or ()) - set(known)):
            raise typer.BadParameter(
                f"no queue {', '.join(unknown)}: choose from {', '.join(known)}", param_hint="--queue"
            )
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(runner.work_forever(jobs, concurrency=concurrency, queues=queues))


@app.command()
def failed(
    db_url: DbUrl = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many, newest first.")] = 50,
    as_json: Json = False,
) -> None:
    """List dead-lettered jobs (retries exhausted) with their last error.

    Example: whatssound jobs failed --limit 20
    """
    with target(db_url, None) as where, psycopg.connect(where.url) as conn:
        rows = conn.execute("select * from private.failed_jobs(%s)", (limit,)).fetchall()
    columns = ("id", "task", "queue", "attempts", "last_error", "failed_at")
    emit(columns, rows, as_json=as_json, title=f"{len(rows)} failed job(s)")
    if rows and not as_json:
        typer.echo("Fix the cause, then: whatssound jobs retry <id>")


@app.command()
def schedule(db_url: DbUrl = None, as_json: Json = False) -> None:
    """List every recurring job as declared in private.schedule: interval, what it runs, where, last run.

    Where: database = pg_cron where it is installed, and the service; service = the service only;
    workers = a task the job workers defer. The last run is known for pg_cron's and the workers'
    runs, not for the service's own.

    Example: whatssound jobs schedule --json
    """
    with target(db_url, None) as where, psycopg.connect(where.url) as conn:
        rows = conn.execute(
            "select name, every, runs, runs_on, last_run_at, description from private.scheduled_jobs()"
        ).fetchall()
    columns = ("name", "every", "runs", "where", "last_run_at", "description")
    emit(columns, rows, as_json=as_json, title=f"{len(rows)} recurring job(s)")


@app.command()
def retry(
    job_id: Annotated[int, typer.Argument(help="A failed job's id (whatssound jobs failed).")],
    db_url: DbUrl = None,
) -> None:
    """Run a failed job again now (one more attempt).

    Example: whatssound jobs retry 1234
    """
    with target(db_url, None) as where, psycopg.connect(where.url, autocommit=True) as conn:
        try:
            conn.execute(
                "select procrastinate.procrastinate_retry_job_v2(%s, now(), null, null, null)", (job_id,)
            )
        except psycopg.errors.RaiseException:
            typer.echo(
                f"job {job_id} is not failed (or does not exist): see `whatssound jobs failed`", err=True
            )
            raise typer.Exit(3) from None
    typer.echo(f"job {job_id} queued again")


def _age(text: str) -> str:
    match = re.fullmatch(r"(\d+)([dh])", text.strip())
    if not match:
        raise typer.BadParameter("use a number of days or hours, e.g. 7d or 12h", param_hint="--older-than")
    return f"{match[1]} {'days' if match[2] == 'd' else 'hours'}"


@app.command()
def purge(
    older_than: Annotated[
        str, typer.Option("--older-than", help="Age of finished jobs to delete: 7d, 12h.")
    ] = "7d",
    db_url: DbUrl = None,
    include_failed: Annotated[bool, typer.Option(help="Delete failed (dead-lettered) jobs too.")] = False,
    dry_run: DryRun = False,
    yes: Yes = False,
) -> None:
    """Delete finished jobs (succeeded, cancelled; failed with --include-failed) older than the age.

    Asks first with the count (skip with --yes); --dry-run only prints the count.

    Example: whatssound jobs purge --older-than 14d --include-failed --dry-run
    """
    age = _age(older_than)
    purge_sql = "select private.purge_finished_jobs(%s::interval, %s, %s)"
    with target(db_url, None) as where, psycopg.connect(where.url, autocommit=True) as conn:
        row = conn.execute(purge_sql, (age, include_failed, True)).fetchone()
        count = row[0] if row else 0
        if dry_run:
            typer.echo(
                f"would delete {count} job(s) finished more than {older_than} ago (run without --dry-run)"
            )
            return
        if count:
            confirm(f"Delete {count} job(s) finished more than {older_than} ago?", yes=yes)
            row = conn.execute(purge_sql, (age, include_failed, False)).fetchone()
            count = row[0] if row else 0
    typer.echo(f"deleted {count} job(s) finished more than {older_than} ago")
