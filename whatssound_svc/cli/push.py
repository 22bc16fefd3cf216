"""``whatssound push``: devices, recent pushes, a test push, and failed pushes queued again."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated

import psycopg
import typer

from whatssound_svc.cli.db import target
from whatssound_svc.cli.options import DbUrl, Json
from whatssound_svc.cli.output import emit
from whatssound_svc.payments.stripe_reconcile import parse_window
from whatssound_svc.push.expo import Expo, ExpoRequestError, Ticket
from whatssound_svc.settings import get_settings

app = typer.Typer(help="Push notifications.", no_args_is_help=True)
UserId = Annotated[uuid.UUID, typer.Argument(help="The user's id (whatssound users find ...).")]


@app.command()
def devices(user_id: UserId, db_url: DbUrl = None, as_json: Json = False) -> None:
    """A user's devices, active or not (and why not).

    Example: whatssound push devices 3f6c1a2e-...
    """
    with target(db_url, None) as where, psycopg.connect(where.url) as conn:
        rows = conn.execute("select * from private.user_push_devices(%s)", (user_id,)).fetchall()
    emit(("token", "platform", "active", "deactivated_reason", "registered_at"), rows, as_json=as_json,
         title=f"{len(rows)} device(s)")  # fmt: skip


@app.command()
def deliveries(
    user_id: UserId,
    db_url: DbUrl = None,
    limit: Annotated[int, typer.Option(min=1, help="How many, newest first.")] = 20,
    as_json: Json = False,
) -> None:
    """A user's recent pushes: what, to which device, status, Expo error and receipt.

    Example: whatssound push deliveries 3f6c1a2e-... --limit 50
    """
    with target(db_url, None) as where, psycopg.connect(where.url) as conn:
        rows = conn.execute("select * from private.user_push_deliveries(%s, %s)", (user_id, limit)).fetchall()
    columns = ("created_at", "kind", "title", "device", "status", "attempts", "error", "receipt")
    emit(columns, rows, as_json=as_json, title=f"last {len(rows)} push(es)")


@app.command("test")
def send_test(
    user_id: UserId,
    db_url: DbUrl = None,
    title: Annotated[str, typer.Option(help="Notification title.")] = "WhatsSound test",
    body: Annotated[str, typer.Option(help="Notification text.")] = "If you can read this, pushes reach you.",
    as_json: Json = False,
) -> None:
    """Send a test push straight to a user's active devices through Expo and print each ticket.

    It bypasses preferences and quiet hours: it is for diagnosing delivery. DeviceNotRegistered
    deactivates the device, as in normal sending.

    Example: whatssound push test 3f6c1a2e-...
    """
    with target(db_url, None) as where, psycopg.connect(where.url, autocommit=True) as conn:
        devices = conn.execute(
            "select id, token from private.user_active_push_devices(%s)", (user_id,)
        ).fetchall()
        tokens = [token for _, token in devices]
        if not tokens:
            typer.echo(f"{user_id} has no active device: see `whatssound push devices {user_id}`", err=True)
            raise typer.Exit(3)
        messages = [
            {"to": t, "title": title, "body": body, "sound": "default", "data": {"test": True}}
            for t in tokens
        ]
        try:
            tickets = asyncio.run(_send(messages))
        except ExpoRequestError as exc:
            typer.echo(f"Expo refused the request: {exc.status} {exc.code} (429/5xx: retry later; 401: check "
                       "WHATSSOUND_PUSH_EXPO_ACCESS_TOKEN)", err=True)  # fmt: skip
            raise typer.Exit(1) from None
        gone = [i for (i, _), k in zip(devices, tickets, strict=True) if k.error == "DeviceNotRegistered"]
        if gone:
            conn.execute("select private.push_deactivate(%s)", (gone,))
    rows = [
        (t[-14:], "ok" if k.ok else "error", k.id or "", k.error or "")
        for t, k in zip(tokens, tickets, strict=True)
    ]
    emit(("device", "ticket", "id", "error"), rows, as_json=as_json, title="Expo's answer")


@app.command()
def requeue(
    since: Annotated[
        str, typer.Option("--since", help="Failed pushes queued in this window: 3h, 90m, 1d or an ISO date.")
    ] = "1h",
    error: Annotated[
        str | None, typer.Option("--error", help="Only this error, e.g. HTTP_503 (see deliveries / metrics).")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only count what would be queued.")] = False,
    db_url: DbUrl = None,
) -> None:
    """Queue failed pushes again (after an Expo outage or a fixed credential), with fresh attempts.

    Only pushes to devices still active; go-live pushes past their useful life are still dropped
    when claimed (setting push_drop_stale_kinds). Pushes whose outcome is unknown are never
    queued again: Expo most likely has them, and a resend would notify twice.

    Example: whatssound push requeue --since 2h --error HTTP_503 --dry-run
    """
    try:
        start = parse_window(since)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--since") from None
    with target(db_url, None) as where, psycopg.connect(where.url, autocommit=True) as conn:
        row = conn.execute("select private.push_requeue(%s, %s, %s)", (start, error, dry_run)).fetchone()
    count = row[0] if row else 0
    what = f"failed push(es) since {start:%Y-%m-%d %H:%M} UTC" + (f" with {error}" if error else "")
    if dry_run:
        typer.echo(f"{count} {what} would be queued again (run without --dry-run to do it)")
    else:
        typer.echo(f"{count} {what} queued again; follow with `whatssound push deliveries USER`")


async def _send(messages: list[dict[str, object]]) -> list[Ticket]:
    expo = Expo(get_settings().push)
    try:
        return await expo.send(messages)
    finally:
        await expo.aclose()
