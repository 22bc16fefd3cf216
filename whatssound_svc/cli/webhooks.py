"""``whatssound webhooks``: look at and re-run stored payment webhook events."""

from __future__ import annotations

from typing import Annotated

import psycopg
import typer

from whatssound_svc.cli.db import target
from whatssound_svc.cli.options import DbUrl, Json
from whatssound_svc.cli.output import emit

app = typer.Typer(help="Stored payment webhook events (private.webhook_events).", no_args_is_help=True)

EventId = Annotated[str, typer.Argument(help="The provider's event id (evt_... or a RevenueCat event id).")]


@app.command()
def replay(event_id: EventId, db_url: DbUrl = None) -> None:
    """Process a stored event again now (effects are idempotent: nothing is applied twice).

    Example: whatssound webhooks replay evt_1PxYz...
    """
    with target(db_url, None) as where, psycopg.connect(where.url, autocommit=True) as conn:
        rows = conn.execute(
            "update private.webhook_events set handled_at = null, next_attempt_at = now() where event_id = %s"
            " returning provider, event_type",
            (event_id,),
        ).fetchall()
        if not rows:
            typer.echo(f"no stored event {event_id}", err=True)
            raise typer.Exit(3)
        conn.execute("select private.process_webhook_events()")
        row = conn.execute(
            "select handled_at is not null, attempts, last_error from private.webhook_events"
            " where event_id = %s",
            (event_id,),
        ).fetchone()
    for provider, event_type in rows:
        typer.echo(f"{provider} {event_type} {event_id}: ", nl=False)
    if row and row[0]:
        typer.echo(f"handled (attempt {row[1]})")
    else:
        typer.echo(f"not handled yet: {row[2] if row else 'unknown'}; the worker retries it")
        raise typer.Exit(4)


@app.command()
def pending(db_url: DbUrl = None) -> None:
    """List events not handled yet, oldest first, with why (the worker retries them with backoff).

    Example: whatssound webhooks pending
    """
    with target(db_url, None) as where, psycopg.connect(where.url) as conn:
        rows = conn.execute(
            "select provider, event_id, event_type, attempts, next_attempt_at, coalesce(last_error, '')"
            " from private.webhook_events where handled_at is null order by provider_created_at limit 100"
        ).fetchall()
    for provider, event_id, event_type, attempts, next_at, error in rows:
        when = f"{next_at:%H:%M:%S}"
        typer.echo(f"{provider:<15} {event_id:<40} {event_type:<32} attempts={attempts} next={when} {error}")
    if not rows:
        typer.echo("nothing pending")


@app.command("list")
def list_events(
    db_url: DbUrl = None,
    provider: Annotated[str | None, typer.Option(help="stripe, stripe_connect or revenuecat.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many, newest first.")] = 50,
    as_json: Json = False,
) -> None:
    """List stored webhook events, newest first: type, deliveries, whether handled, last error.

    Example: whatssound webhooks list --provider stripe --limit 20 --json
    """
    with target(db_url, None) as where, psycopg.connect(where.url) as conn:
        rows = conn.execute(
            "select provider, event_id, event_type, received_at, deliveries, handled_at is not null,"
            " attempts, last_error from private.webhook_events"
            " where %(p)s::text is null or provider = %(p)s"
            " order by received_at desc limit %(n)s",
            {"p": provider, "n": limit},
        ).fetchall()
    columns = (
        "provider",
        "event_id",
        "type",
        "received_at",
        "deliveries",
        "handled",
        "attempts",
        "last_error",
    )
    emit(columns, rows, as_json=as_json, title=f"{len(rows)} event(s)")
