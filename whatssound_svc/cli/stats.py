"""``whatssound stats``: the platform right now, in one screen."""

from __future__ import annotations

import psycopg
import typer

from whatssound_svc.cli.db import target
from whatssound_svc.cli.options import DbUrl, Json
from whatssound_svc.cli.output import emit_one


def stats(db_url: DbUrl = None, as_json: Json = False) -> None:
    """Show the platform right now, in one screen.

    Live sessions and listeners, chat messages in the last minute, tips today (count and amount per
    currency, smallest unit), pushes in the last hour, jobs waiting and failed, webhooks pending.

    Example: whatssound stats --json
    """
    with target(db_url, None) as where, psycopg.connect(where.url) as conn:
        cur = conn.execute("select * from private.platform_stats()")
        row = cur.fetchone()
        names = [c.name for c in cur.description or []]
    if row is None:
        raise typer.Exit(1)
    emit_one(dict(zip(names, row, strict=True)), as_json=as_json, title="WhatsSound now")
