"""``whatssound webhooks``: look at and re-run stored payment webhook events."""

from __future__ import annotations

import enum
from typing import Annotated

import psycopg
import typer

from whatssound_svc.cli.db import target
from whatssound_svc.cli.options import DbUrl, Json
from whatssound_svc.cli.output import emit

app = typer.Typer(help="Stored payment webhook events (private.webhook_events).", no_args_is_help=True)

EventId = Annotated[str, typer.Argument(help="The provider's event id (evt_... or a RevenueCat event id).")]


class Provider(enum.StrEnum):
    """The ledger's providers (the check constraint on private.webhook_events.provider)."""

    stripe = "stripe"
    stripe_connect = "stripe_connect"
    revenuecat = "revenuecat"


@app.command()
def replay(event_id: EventId, db_url: DbUrl = None) -> None:
    """Process a stored event again now (effects are idempotent: nothing is applied twice).

    Example: whatssound webhooks replay evt_1PxYz...
    """
    with target(db_url, None) as where, psycopg.connect(where.url, autocommit=True) as conn:
        rows = conn.execute("select * from private.webhook_replay(%s)", (event_id,)).fetchall()
    if not rows:
        typer.echo(f"no stored event {event_id}", err=True)
        raise typer.Exit(3)
    unhandled = False
    for provider, event_type, handled, attempts, error in rows:
        outcome = (
            f"handled (attempt {attempts})" if handled else f"not handled yet: {error}; the worker retries it"
        )
        typer.echo(f"{provider} {event_type} {event_id}: {outcome}")
        unhandled = unhandled or not handled
    if unhandled:
        raise typer.Exit(4)


@app.command()
def pending(db_url: DbUrl = None, as_json: Json = False) -> None:
    """List events not handled yet, oldest first, with why (the worker retries them with backoff).

    Example: whatssound webhooks pending --json
    """
    with target(db_url, None) as where, psycopg.connect(where.url) as conn:
        rows = conn.execute("select * from private.webhook_events_pending()").fetchall()
    if as_json:
        emit(
            ("provider", "event_id", "type", "attempts", "next_attempt_at", "last_error"), rows, as_json=True
        )
        return
    for provider, event_id, event_type, attempts, next_at, error in rows:
        when = f"{next_at:%H:%M:%S}"
        typer.echo(f"{provider:<15} {event_id:<40} {event_type:<32} attempts={attempts} next={when} {error}")
    if not rows:
        typer.echo("nothing pending")


@app.command("list")
def list_events(
    db_url: DbUrl = None,
    provider: Annotated[Provider | None, typer.Option(help="Only this provider's events.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many, newest first.")] = 50,
    as_json: Json = False,
) -> None:
    """List stored webhook events, newest first: type, deliveries, whether handled, last error.

    Example: whatssound webhooks list --provider stripe --limit 20 --json
    """
    with target(db_url, None) as where, psycopg.connect(where.url) as conn:
        rows = conn.execute(
            "select * from private.webhook_events_recent(%s, %s)",
            (provider.value if provider else None, limit),
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
