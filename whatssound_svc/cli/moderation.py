"""``whatssound moderation``: the reports queue."""

from __future__ import annotations

from typing import Annotated

import psycopg
import typer

from whatssound_svc.cli.db import target
from whatssound_svc.cli.options import DbUrl, Json
from whatssound_svc.cli.output import emit

app = typer.Typer(help="Moderation: reports from users.", no_args_is_help=True)


@app.command()
def reports(
    db_url: DbUrl = None,
    status: Annotated[str, typer.Option(help="open, resolved or dismissed.")] = "open",
    limit: Annotated[int, typer.Option(min=1, help="How many, oldest first.")] = 50,
    as_json: Json = False,
) -> None:
    """The reports queue, oldest first, with how many reports the same target has.

    Example: whatssound moderation reports --status open
    """
    with target(db_url, None) as where, psycopg.connect(where.url) as conn:
        rows = conn.execute(
            "select r.id, r.created_at, r.target_kind::text,"
            " coalesce(r.target_message_id, r.target_user_id, r.target_session_id) as target, r.reason::text,"
            " left(r.details, 80), p.handle as reporter,"
            " count(*) over (partition by"
            "   coalesce(r.target_message_id, r.target_user_id, r.target_session_id))"
            " from public.reports as r left join public.profiles as p on p.id = r.reporter_id"
            " where r.status::text = %s order by r.created_at limit %s",
            (status, limit),
        ).fetchall()
    columns = ("id", "created_at", "kind", "target", "reason", "details", "reporter", "reports_on_target")
    emit(columns, rows, as_json=as_json, title=f"{len(rows)} {status} report(s)")
    if rows and not as_json:
        typer.echo(
            "Resolve in the app's staff tools (public.resolve_report), or ban: whatssound users ban <id>"
        )
