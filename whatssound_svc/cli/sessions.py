"""``whatssound sessions``: what is live, and ending a session from the operator's side."""

from __future__ import annotations

import uuid
from typing import Annotated

import psycopg
import typer

from whatssound_svc.cli.db import target
from whatssound_svc.cli.options import DbUrl, Json
from whatssound_svc.cli.output import emit

app = typer.Typer(help="DJ sessions.", no_args_is_help=True)


@app.command()
def live(db_url: DbUrl = None, as_json: Json = False) -> None:
    """List live sessions, busiest first.

    Example: whatssound sessions live
    """
    with target(db_url, None) as where, psycopg.connect(where.url) as conn:
        rows = conn.execute(
            "select s.id, s.title, p.handle as dj, s.listener_count, s.visibility::text, s.started_at"
            " from public.dj_sessions as s join public.profiles as p on p.id = s.dj_id"
            " where s.status = 'live' order by s.listener_count desc, s.started_at"
        ).fetchall()
    columns = ("id", "title", "dj", "listeners", "visibility", "started_at")
    emit(columns, rows, as_json=as_json, title=f"{len(rows)} live session(s)")


@app.command()
def end(
    session_id: Annotated[uuid.UUID, typer.Argument(help="The session (whatssound sessions live).")],
    db_url: DbUrl = None,
) -> None:
    """End a live session now (listeners get session.status 'ended', as when the DJ ends it).

    Example: whatssound sessions end 6f1c...
    """
    with target(db_url, None) as where, psycopg.connect(where.url, autocommit=True) as conn:
        row = conn.execute(
            "update public.dj_sessions set status = 'ended' where id = %s and status = 'live'"
            " returning title",
            (session_id,),
        ).fetchone()
    if row is None:
        typer.echo(f"no live session {session_id}: see `whatssound sessions live`", err=True)
        raise typer.Exit(3)
    typer.echo(f"ended {session_id} ({row[0]})")
