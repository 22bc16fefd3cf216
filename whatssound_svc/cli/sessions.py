"""``whatssound sessions``: what is live, and ending a session from the operator's side."""

from __future__ import annotations

import uuid
from typing import Annotated

import psycopg
import typer

from whatssound_svc.cli.db import target
from whatssound_svc.cli.options import DbUrl, DryRun, Json, Yes, confirm
from whatssound_svc.cli.output import emit

app = typer.Typer(help="DJ sessions.", no_args_is_help=True)


@app.command()
def live(db_url: DbUrl = None, as_json: Json = False) -> None:
    """List live sessions, busiest first.

    Example: whatssound sessions live
    """
    with target(db_url, None) as where, psycopg.connect(where.url) as conn:
        rows = conn.execute("select * from private.live_sessions()").fetchall()
    columns = ("id", "title", "dj", "listeners", "visibility", "started_at")
    emit(columns, rows, as_json=as_json, title=f"{len(rows)} live session(s)")


@app.command()
def end(
    session_id: Annotated[uuid.UUID, typer.Argument(help="The session (whatssound sessions live).")],
    db_url: DbUrl = None,
    dry_run: DryRun = False,
    yes: Yes = False,
) -> None:
    """End a live session now, as when its DJ ends it (listeners get session.status 'ended').

    Asks first (skip with --yes); --dry-run only says which session it would end.

    Example: whatssound sessions end 6f1c... --dry-run
    """
    with target(db_url, None) as where, psycopg.connect(where.url, autocommit=True) as conn:
        found = conn.execute("select * from private.end_live_session(%s, true)", (session_id,)).fetchone()
        if found is None:
            typer.echo(f"no live session {session_id}: see `whatssound sessions live`", err=True)
            raise typer.Exit(3)
        what = f"{session_id} ({found[0]}, {found[1]} listener(s))"
        if dry_run:
            typer.echo(f"would end {what} (run without --dry-run to do it)")
            return
        confirm(f"End live session {what}?", yes=yes)
        row = conn.execute("select * from private.end_live_session(%s, false)", (session_id,)).fetchone()
    if row is None:
        typer.echo(f"{session_id} is no longer live: see `whatssound sessions live`", err=True)
        raise typer.Exit(3)
    typer.echo(f"ended {session_id} ({row[0]})")
