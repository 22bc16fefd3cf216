"""``whatssound reconcile``: bring our records back in line with a provider's own."""

from __future__ import annotations

import uuid
from typing import Annotated

import psycopg
import typer
from pydantic import SecretStr

from whatssound_svc.cli.db import target
from whatssound_svc.cli.options import DbUrl
from whatssound_svc.payments import revenuecat as rc

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
        rows = conn.execute(
            "select entitlement, coalesce(expires_at::text, 'lifetime') from public.entitlements"
            " where user_id = %s and source = 'revenuecat' order by entitlement",
            (user,),
        ).fetchall()
    typer.echo(
        f"{user}: {written} entitlement row(s) written; now: "
        + (", ".join(f"{n} until {e}" for n, e in rows) or "none")
    )
