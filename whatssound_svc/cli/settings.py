"""``whatssound settings``: the operational settings, their defaults and the operators' overrides.

Migrations declare each setting's default; an operator's override (who, when, why) is kept apart
and no deploy touches it (docs/decisions.md, "One owner for each setting value"). Every command
calls one of the database's operator functions (private.settings_list, settings_diff, set_setting,
reset_setting).
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable
from typing import Annotated, Any, LiteralString

import psycopg
import typer
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from whatssound_svc.cli.db import target
from whatssound_svc.cli.options import DbUrl, DryRun, Json, Yes, confirm
from whatssound_svc.cli.output import dumps, emit, emit_one

app = typer.Typer(help="Operational settings: defaults, overrides and what differs.", no_args_is_help=True)
Key = Annotated[str, typer.Argument(help="The setting's key (whatssound settings list).", show_default=False)]
Reason = Annotated[str, typer.Option(help="Why (kept in the settings history).", show_default=False)]
By = Annotated[
    str | None,
    typer.Option(
        "--by",
        envvar="WHATSSOUND_OPERATOR",
        help="Who is changing it (kept in the history). Default: your login name.",
        show_default=False,
    ),
]
COLUMNS = ("key", "default_value", "override_value", "effective_value", "changed_by", "changed_at", "reason")


def _login() -> str | None:
    try:
        return getpass.getuser()
    except OSError:  # no login name to be found: the database records its own user
        return None


def _rows(db_url: str | None, query: str, *args: Any) -> list[dict[str, Any]]:
    with target(db_url, None) as where, psycopg.connect(where.url, row_factory=dict_row) as conn:
        return conn.execute(query, args).fetchall()


def _show(rows: list[dict[str, Any]], *, as_json: bool, title: str) -> None:
    if as_json:
        typer.echo(dumps(rows))
        return
    emit(COLUMNS, [tuple(row[c] for c in COLUMNS) for row in rows], as_json=False, title=title)


@app.command("list")
def list_(
    key: Annotated[str | None, typer.Argument(help="Only this setting.", show_default=False)] = None,
    db_url: DbUrl = None,
    as_json: Json = False,
) -> None:
    """Every setting with its default, override, value in force, and who set the override when.

    Example: whatssound settings list push_burst
    """
    rows = _rows(db_url, "select * from private.settings_list(%s)", key)
    if key is not None and not rows:
        typer.echo(f"no setting {key!r}: see `whatssound settings list`", err=True)
        raise typer.Exit(3)
    _show(rows, as_json=as_json, title=f"{len(rows)} setting(s)")


@app.command()
def diff(db_url: DbUrl = None, as_json: Json = False) -> None:
    """The settings not at their default: every override, and values written by hand.

    Example: whatssound settings diff --json
    """
    rows = _rows(db_url, "select * from private.settings_diff()")
    if not rows and not as_json:
        typer.echo("every setting is at its default")
        return
    _show(rows, as_json=as_json, title=f"{len(rows)} setting(s) not at their default")


def _change(
    db_url: str | None,
    query: LiteralString,
    args: tuple[Any, ...],
    *,
    dry_run: bool,
    yes: bool,
    question: Callable[[dict[str, Any]], str],
) -> dict[str, Any]:
    """Call an operator function whose last argument is p_dry_run: first as a dry run (it checks
    the input and answers the row it would leave), then, unless ``dry_run``, once confirmed, for real."""
    with (
        target(db_url, None) as where,
        psycopg.connect(where.url, autocommit=True, row_factory=dict_row) as conn,
    ):
        row = conn.execute(query, (*args, True)).fetchone()
        if not dry_run and row is not None:
            confirm(question(row), yes=yes)
            row = conn.execute(query, (*args, False)).fetchone()
    assert row is not None  # the functions return a row or raise
    return row


@app.command("set")
def set_(
    key: Key,
    value: Annotated[
        str,
        typer.Argument(
            help="The value as JSON: 600, 0.5, true, '\"premium\"', '[\"go_live\"]'.", show_default=False
        ),
    ],
    *,
    reason: Reason,
    by: By = None,
    db_url: DbUrl = None,
    dry_run: DryRun = False,
    yes: Yes = False,
    as_json: Json = False,
) -> None:
    """Override a setting's default, in force at once and kept through every later deploy.

    The value must have the default's JSON type. Asks first (skip with --yes); --dry-run only
    checks it and says what would be in force.

    Example: whatssound settings set push_burst 24 --reason "Expo throttles us"
    """
    try:
        parsed = json.loads(value)
    except ValueError:
        raise typer.BadParameter(
            "not JSON (a string needs its quotes: '\"premium\"')", param_hint="VALUE"
        ) from None
    row = _change(
        db_url,
        "select * from private.set_setting(%s, %s, %s, %s, %s)",
        (key, Jsonb(parsed), reason, by or _login()),
        dry_run=dry_run,
        yes=yes,
        question=lambda r: f"Set {key} to {dumps(parsed)} (default {dumps(r['default_value'])})?",
    )
    if as_json:
        emit_one(row, as_json=True)
    elif dry_run:
        typer.echo(f"would set {key} to {dumps(parsed)} (run without --dry-run to do it)")
    else:
        typer.echo(f"{key} is {dumps(parsed)} (default {dumps(row['default_value'])}), in force now")


@app.command()
def reset(
    key: Key,
    *,
    reason: Reason,
    by: By = None,
    db_url: DbUrl = None,
    dry_run: DryRun = False,
    yes: Yes = False,
    as_json: Json = False,
) -> None:
    """Drop a setting's override, so its default is in force again.

    Asks first (skip with --yes); --dry-run only says what would be in force.

    Example: whatssound settings reset push_burst --reason "Expo is back to normal"
    """
    row = _change(
        db_url,
        "select * from private.reset_setting(%s, %s, %s, %s)",
        (key, reason, by or _login()),
        dry_run=dry_run,
        yes=yes,
        question=lambda r: f"Reset {key} to its default {dumps(r['default_value'])}?",
    )
    default = dumps(row["default_value"])
    if as_json:
        emit_one(row, as_json=True)
    elif dry_run:
        typer.echo(f"would reset {key} to its default {default} (run without --dry-run to do it)")
    else:
        typer.echo(f"{key} is at its default {default}, in force now")
