"""``whatssound events``: watch what the database broadcasts to the apps."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import psycopg
import typer
from psycopg.rows import dict_row

from whatssound_svc import events_tail
from whatssound_svc.cli.db import target
from whatssound_svc.cli.options import DbUrl, Json
from whatssound_svc.cli.output import dumps, emit_one, shown

app = typer.Typer(help="Watch realtime events (Broadcast from Database).", no_args_is_help=True)


@app.command()
def tail(  # noqa: PLR0917 (typer: one parameter per option)
    db_url: DbUrl = None,
    session: Annotated[
        str | None,
        typer.Option("--session", envvar="WHATSSOUND_TAIL_SESSION", help="Only this session's topic."),
    ] = None,
    user: Annotated[
        str | None, typer.Option("--user", envvar="WHATSSOUND_TAIL_USER", help="Only this user's topic.")
    ] = None,
    since: Annotated[
        float, typer.Option("--since", envvar="WHATSSOUND_TAIL_SINCE", help="Start this many seconds back.")
    ] = 0.0,
    raw: Annotated[
        bool, typer.Option("--json", envvar="WHATSSOUND_TAIL_JSON", help="One JSON payload per line.")
    ] = False,
    once: Annotated[
        bool, typer.Option("--once", envvar="WHATSSOUND_TAIL_ONCE", help="Print what is there, then exit.")
    ] = False,
) -> None:
    """Print broadcasts live as the database sends them (the rows of realtime.messages).

    Example: whatssound events tail --session 3f6c1a2e-... --since 60
    """
    try:
        topic = events_tail.topic_for(session, user)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    with target(db_url, None) as where:
        for broadcast in events_tail.follow(where.url, topic, dt.timedelta(seconds=since), once=once):
            typer.echo(dumps(broadcast.payload) if raw else broadcast.line())


@app.command()
def budget(db_url: DbUrl = None, as_json: Json = False) -> None:
    """Show this billing cycle's Realtime messages and the paced listener budget.

    Example: whatssound events budget --json
    """
    with target(db_url, None) as where, psycopg.connect(where.url, row_factory=dict_row) as conn:
        row = conn.execute("select * from private.rt_pacing()").fetchone()
    assert row is not None
    if as_json:
        emit_one(row, as_json=True)
        return
    for name, value in row.items():
        typer.echo(f"{name:<24} {_shown(value)}")


def _shown(value: object) -> str:
    """Numbers with thousands separators (2 decimals for fractions), "-" when unknown yet."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return f"{value:,}" if isinstance(value, int) else shown(value)
