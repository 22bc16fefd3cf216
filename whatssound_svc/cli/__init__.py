"""The ``whatssound`` admin CLI: thin commands over the library modules.

Every option has an environment-variable fallback (shown in ``--help``). Errors print what went
wrong, its causes, and what to do next, then exit 1.
"""

from __future__ import annotations

import sys

import psycopg
import typer
from rich.console import Console

from whatssound_svc.cli import (
    cost,
    db,
    dev,
    docs,
    events,
    jobs,
    media,
    moderation,
    ops,
    pg,
    push,
    reconcile,
    rpc,
    sessions,
    settings,
    simulate,
    stats,
    users,
    webhooks,
)
from whatssound_svc.errors import WhatsSoundError
from whatssound_svc.local.pginstall import ClusterError
from whatssound_svc.local.postgrest import PostgrestError

app = typer.Typer(
    name="whatssound",
    help="WhatsSound backend: local stack, database, service and operator commands.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.add_typer(pg.app, name="pg")
app.add_typer(docs.app, name="docs")
app.add_typer(events.app, name="events")
app.add_typer(webhooks.app, name="webhooks")
app.add_typer(reconcile.app, name="reconcile")
app.add_typer(jobs.app, name="jobs")
app.add_typer(users.app, name="users")
app.add_typer(sessions.app, name="sessions")
app.add_typer(push.app, name="push")
app.add_typer(moderation.app, name="moderation")
app.add_typer(media.app, name="media")
app.add_typer(ops.app, name="ops")
app.add_typer(settings.app, name="settings")
app.command("rpc")(rpc.rpc)
app.command("stats")(stats.stats)
app.command("simulate")(simulate.simulate)
app.command("cost")(cost.monthly)
app.command("dev")(dev.dev)
app.command("serve")(dev.serve)

_err = Console(stderr=True)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except (WhatsSoundError, ClusterError, psycopg.Error) as exc:
        # A database refusal reads as the app would get it (our code, also from a PGRST raise).
        shown = PostgrestError(exc, "service_role") if isinstance(exc, psycopg.Error) else exc
        _err.print(f"[bold red]error:[/] {shown}", highlight=False)
        cause = exc.__cause__
        while cause is not None:
            _err.print(f"  caused by: {type(cause).__name__}: {cause}", highlight=False)
            cause = cause.__cause__
        sys.exit(1)
