"""``whatssound users``: find someone, see their account, ban them from the whole platform."""

from __future__ import annotations

import uuid
from typing import Annotated

import psycopg
import typer
from psycopg.rows import dict_row

from whatssound_svc.cli.db import target
from whatssound_svc.cli.options import DbUrl, DryRun, Json, Yes, confirm
from whatssound_svc.cli.output import emit, emit_one

app = typer.Typer(help="Users and platform bans.", no_args_is_help=True)
UserId = Annotated[uuid.UUID, typer.Argument(help="The user's id (whatssound users find ...).")]


@app.command()
def find(
    query: Annotated[
        str, typer.Argument(help="Part of a handle or display name, a phone number, an email or an id.")
    ],
    db_url: DbUrl = None,
    as_json: Json = False,
) -> None:
    """Find users by handle, name, phone, email or id (at most 20).

    Example: whatssound users find dj_nova
    """
    with target(db_url, None) as where, psycopg.connect(where.url) as conn:
        rows = conn.execute("select * from private.find_users(%s)", (query,)).fetchall()
    columns = ("id", "handle", "name", "phone", "email", "created_at", "banned_until")
    emit(columns, rows, as_json=as_json, title=f"{len(rows)} user(s) matching {query!r}")


@app.command()
def show(user_id: UserId, db_url: DbUrl = None, as_json: Json = False) -> None:
    """One user's account: profile, sign-in, devices, entitlements, bans, activity counts.

    Example: whatssound users show 3f6c1a2e-... --json
    """
    with target(db_url, None) as where, psycopg.connect(where.url, row_factory=dict_row) as conn:
        row = conn.execute("select * from private.user_overview_of(%s)", (user_id,)).fetchone()
    if row is None:
        typer.echo(f"no user {user_id}: try `whatssound users find <handle>`", err=True)
        raise typer.Exit(3)
    emit_one(row, as_json=as_json, title=str(row["handle"]))


@app.command()
def ban(
    user_id: UserId,
    reason: Annotated[str, typer.Option(help="Why (kept in the audit log).")],
    db_url: DbUrl = None,
    dry_run: DryRun = False,
    yes: Yes = False,
) -> None:
    """Ban a user from the whole platform until `users unban` lifts it.

    Supabase Auth refuses their sign-ins and token refreshes (banned_until), every API request
    refuses them at once whatever their token (PostgREST's pre-request hook; Storage and Realtime
    by policy), their live and scheduled sessions end, and they leave the rooms they are in.
    Asks first (skip with --yes); --dry-run only says what would end.

    Example: whatssound users ban 3f6c1a2e-... --reason "spam accounts network"
    """
    with target(db_url, None) as where, psycopg.connect(where.url, autocommit=True) as conn:
        preview = conn.execute("select * from private.platform_ban_preview(%s)", (user_id,)).fetchone()
        if preview is None:
            typer.echo(f"no user {user_id}", err=True)
            raise typer.Exit(3)
        handle, _, sessions, rooms = preview
        what = f"{user_id} (@{handle}): {sessions} session(s) would end, {rooms} room(s) left"
        if dry_run:
            typer.echo(f"would ban {what} (run without --dry-run to do it)")
            return
        confirm(f"Ban {what}?", yes=yes)
        row = conn.execute("select private.platform_ban(%s, %s)", (user_id, reason)).fetchone()
    if not (row and row[0]):
        typer.echo(f"no user {user_id}", err=True)
        raise typer.Exit(3)
    typer.echo(
        f"banned {user_id}: every API request, upload and channel join refused now; sign-ins and refreshes"
        " refused by Auth; their sessions ended"
    )


@app.command()
def unban(user_id: UserId, db_url: DbUrl = None) -> None:
    """Lift a platform ban.

    Example: whatssound users unban 3f6c1a2e-...
    """
    with target(db_url, None) as where, psycopg.connect(where.url, autocommit=True) as conn:
        row = conn.execute("select private.platform_unban(%s)", (user_id,)).fetchone()
    if not (row and row[0]):
        typer.echo(f"{user_id} is not banned", err=True)
        raise typer.Exit(3)
    typer.echo(f"unbanned {user_id}")
