"""``whatssound reconcile``: bring our records back in line with a provider's own."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

import psycopg
import stripe
import typer
from pydantic import SecretStr
from rich.console import Console

from whatssound_svc.cli.db import target
from whatssound_svc.cli.options import DbUrl
from whatssound_svc.cli.output import shown
from whatssound_svc.payments import revenuecat as rc
from whatssound_svc.payments import stripe_reconcile

app = typer.Typer(help="Reconcile payments and subscriptions with the providers.", no_args_is_help=True)


@app.command("revenuecat")
def revenuecat_user(
    user: Annotated[uuid.UUID, typer.Argument(help="The user (Supabase user id = RevenueCat app user id).")],
    db_url: DbUrl = None,
    api_key: Annotated[
        str,
        typer.Option(
            envvar="WHATSSOUND_PAYMENTS_REVENUECAT_SECRET_KEY",
            help="RevenueCat secret API key (sk_...).",
            show_default=False,
        ),
    ] = "",
    api_url: Annotated[
        str, typer.Option(envvar="WHATSSOUND_PAYMENTS_REVENUECAT_API_URL", help="RevenueCat API base URL.")
    ] = rc.DEFAULT_BASE_URL,
) -> None:
    """Re-read a user's entitlements from RevenueCat's subscriber API and apply them (idempotent).

    Example: whatssound reconcile revenuecat 3f6c1a2e-... (with WHATSSOUND_PAYMENTS_REVENUECAT_SECRET_KEY set)
    """  # fmt: skip
    if not api_key:
        raise typer.BadParameter("set WHATSSOUND_PAYMENTS_REVENUECAT_SECRET_KEY (or --api-key)")
    with target(db_url, None) as where, psycopg.connect(where.url, autocommit=True) as conn:
        try:
            written = rc.resync(conn, user, SecretStr(api_key), api_url)
        except rc.RevenueCatError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
        rows = conn.execute("select * from private.revenuecat_entitlements(%s)", (user,)).fetchall()
    typer.echo(
        f"{user}: {written} entitlement row(s) written; now: "
        + (", ".join(f"{n} until {shown(e) or 'lifetime'}" for n, e in rows) or "none")
    )


@app.command("stripe")
def stripe_events(
    *,
    since: Annotated[
        str, typer.Option("--since", help="Window to re-read: 3d, 12h, 90m or an ISO date (30 days at most).")
    ] = "3d",
    db_url: DbUrl = None,
    api_key: Annotated[
        str,
        typer.Option(
            envvar="WHATSSOUND_PAYMENTS_STRIPE_SECRET_KEY",
            help="Stripe secret key (sk_...).",
            show_default=False,
        ),
    ] = "",
    api_url: Annotated[
        str, typer.Option(envvar="WHATSSOUND_PAYMENTS_STRIPE_API_URL", help="Stripe API base URL.")
    ] = stripe_reconcile.DEFAULT_API_BASE,
    connect: Annotated[
        bool, typer.Option(help="Also read each DJ's connected account for account.updated events.")
    ] = True,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Print every event listed.")] = False,
) -> None:
    """Feed Stripe's events of the window that we never stored through the webhook ledger, then process them.

    Idempotent: events already stored only count as duplicates.

    Example: whatssound reconcile stripe --since 3d   (with WHATSSOUND_PAYMENTS_STRIPE_SECRET_KEY set)
    """  # fmt: skip
    if not api_key:
        raise typer.BadParameter("set WHATSSOUND_PAYMENTS_STRIPE_SECRET_KEY (or --api-key)")
    try:
        start = stripe_reconcile.parse_window(since)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--since") from None
    if dt.datetime.now(dt.UTC) - start > stripe_reconcile.RETENTION:
        typer.echo("note: Stripe lists the last 30 days of events only; older ones are gone", err=True)
    console = Console(stderr=True)
    counts = {"listed": 0, "new": 0}

    def seen(provider: str, event: dict[str, Any], new: bool) -> None:
        counts["listed"] += 1
        counts["new"] += new
        status.update(f"listed {counts['listed']} events, {counts['new']} new")
        if verbose:
            console.print(f"{'new ' if new else 'seen'} {provider:<15} {event['id']} {event['type']}")

    with (
        target(db_url, None) as where,
        psycopg.connect(where.url, autocommit=True) as conn,
        console.status(f"reading Stripe events since {start:%Y-%m-%d %H:%M} UTC") as status,
    ):
        try:
            report = stripe_reconcile.reconcile(
                conn, stripe_reconcile.client(api_key, api_url), start, connect=connect, on_event=seen
            )
        except stripe.StripeError as exc:
            typer.echo(f"error: Stripe answered {exc.http_status}: {exc.user_message or exc}", err=True)
            typer.echo("nothing was lost: events stored so far stay; run it again", err=True)
            raise typer.Exit(1) from None
    typer.echo(
        f"listed {report.listed} events ({report.accounts} connected accounts read): {report.new} new, "
        f"{report.already_stored} already stored; {report.processed} processed"
    )
