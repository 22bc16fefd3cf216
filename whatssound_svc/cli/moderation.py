"""``whatssound moderation``: the reports queue."""

from __future__ import annotations

import enum
from typing import Annotated

import psycopg
import typer

from whatssound_svc.cli.db import target
from whatssound_svc.cli.options import DbUrl, Json
from whatssound_svc.cli.output import emit

app = typer.Typer(help="Moderation: reports from users.", no_args_is_help=True)


class ReportStatus(enum.StrEnum):
    """The values of public.report_status."""

    open = "open"
    actioned = "actioned"
    dismissed = "dismissed"


@app.command()
def reports(
    db_url: DbUrl = None,
    status: Annotated[ReportStatus, typer.Option(help="Which reports.")] = ReportStatus.open,
    limit: Annotated[int, typer.Option(min=1, help="How many, oldest first.")] = 50,
    as_json: Json = False,
) -> None:
    """The reports queue, oldest first, with how many reports the same target has.

    Example: whatssound moderation reports --status open
    """
    with target(db_url, None) as where, psycopg.connect(where.url) as conn:
        rows = conn.execute(
            "select * from private.reports_queue(%s::public.report_status, %s)", (status.value, limit)
        ).fetchall()
    columns = ("id", "created_at", "kind", "target", "reason", "details", "reporter", "reports_on_target")
    emit(columns, rows, as_json=as_json, title=f"{len(rows)} {status.value} report(s)")
    if rows and not as_json:
        typer.echo(
            "Resolve in the app's staff tools (public.resolve_report), or ban: whatssound users ban <id>"
        )
