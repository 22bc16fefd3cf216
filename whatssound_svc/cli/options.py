"""Options shared by several commands (one definition, one env var each)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

DbUrl = Annotated[
    str | None,
    typer.Option(
        "--db-url",
        envvar="DATABASE_URL",
        help="Target database (role postgres). Default: the local cluster.",
        show_default=False,
    ),
]
AdminUrl = Annotated[
    str | None,
    typer.Option(
        "--admin-url",
        envvar="WHATSSOUND_ADMIN_DATABASE_URL",
        help="Superuser URL used only to apply the local shim. Default: the local cluster's "
        "supabase_admin, or --db-url.",
        show_default=False,
    ),
]
Json = Annotated[bool, typer.Option("--json", help="Machine-readable output: one JSON document.")]
DryRun = Annotated[
    bool,
    typer.Option(
        "--dry-run", envvar="WHATSSOUND_DRY_RUN", help="Say what would be done (with counts); change nothing."
    ),
]
Yes = Annotated[
    bool,
    typer.Option("--yes", "-y", envvar="WHATSSOUND_ASSUME_YES", help="Do not ask for confirmation."),
]


def confirm(question: str, *, yes: bool) -> None:
    """Ask before a destructive step; without a terminal to ask on, refuse unless ``--yes`` was given.

    Refusing (or answering no) exits 1 before anything changed.
    """
    if yes:
        return
    if not sys.stdin.isatty():
        typer.echo(
            f"{question} Not asking without a terminal: nothing done; add --yes to go ahead.", err=True
        )
        raise typer.Exit(1)
    if not typer.confirm(question):
        typer.echo("nothing done", err=True)
        raise typer.Exit(1)
