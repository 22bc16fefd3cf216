"""``whatssound db``: migrations, seed data and the local database's lifecycle."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import psycopg
import typer
from rich.console import Console
from rich.table import Table

from whatssound_svc import migrations, paths, schemadump
from whatssound_svc.cli.options import AdminUrl, DbUrl, DryRun, Json, Yes, confirm
from whatssound_svc.cli.output import emit
from whatssound_svc.errors import WhatsSoundError
from whatssound_svc.local import bootstrap as bootstrap_mod
from whatssound_svc.local.cluster import LocalCluster
from whatssound_svc.local.pginstall import PgBinaries
from whatssound_svc.settings import LocalPgSettings

app = typer.Typer(help="Migrations, seed data and the local database.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)

MigrationsDir = Annotated[
    Path,
    typer.Option(
        "--migrations-dir",
        envvar="WHATSSOUND_MIGRATIONS_DIR",
        help="Folder the migrations are read from.",
    ),
]


@dataclass(frozen=True)
class Target:
    """Where a command acts: URLs for the migration role and for the shim's superuser."""

    url: str
    admin_url: str
    local: bool


@contextlib.contextmanager
def target(db_url: str | None, admin_url: str | None) -> Iterator[Target]:
    """The given database, or the local cluster (started for the command if it is down)."""
    if db_url:
        yield Target(url=db_url, admin_url=admin_url or db_url, local=False)
        return
    with LocalCluster.for_dev().running() as cluster:
        yield Target(url=cluster.url(), admin_url=admin_url or cluster.admin_url, local=True)


def _say(message: str) -> None:
    err.print(message, highlight=False)


@app.command()
def push(
    db_url: DbUrl = None,
    migrations_dir: MigrationsDir = paths.MIGRATIONS_DIR,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", envvar="WHATSSOUND_DRY_RUN", help="List what would run; change nothing."),
    ] = False,
    include_all: Annotated[
        bool,
        typer.Option(
            "--include-all",
            envvar="WHATSSOUND_INCLUDE_ALL",
            help="Also apply files older than the last applied one.",
        ),
    ] = False,
) -> None:
    """Apply pending migrations (the same ledger as [bold]supabase db push[/]).

    Each file runs in its own transaction with its ledger row; an SQL error rolls that file
    back and stops. Refuses when an applied file was edited since.

    Examples:
      whatssound db push --dry-run
      DATABASE_URL='postgresql://postgres:...@db.<ref>.supabase.co:5432/postgres' whatssound db push
    """
    with target(db_url, None) as where, psycopg.connect(where.url, autocommit=True) as conn:
        migrations.push(conn, migrations_dir, dry_run=dry_run, include_all=include_all, report=_say)


@app.command()
def status(
    db_url: DbUrl = None, migrations_dir: MigrationsDir = paths.MIGRATIONS_DIR, as_json: Json = False
) -> None:
    """Compare local migration files with the database's ledger (like [bold]supabase migration list[/]).

    Exits 3 when something is pending or edited, so scripts can gate on it.

    Example: whatssound db status --db-url "$SUPABASE_DB_URL" --json
    """
    with target(db_url, None) as where, psycopg.connect(where.url, autocommit=True) as conn:
        local = {m.version: m for m in migrations.local_migrations(migrations_dir)}
        applied = migrations.applied_migrations(conn)
    edited = {m.version for m in migrations.edited_migrations(list(local.values()), applied)}
    rows = []
    for version in sorted(set(local) | set(applied)):
        name = local[version].name if version in local else (applied[version].name or "")
        if version in edited:
            state = "edited since applied"
        elif version not in applied:
            state = "pending"
        elif version not in local:
            state = "missing locally"
        else:
            state = "applied"
        rows.append(
            (version if version in local else None, version if version in applied else None, name, state)
        )
    if as_json:
        emit(("local", "remote", "name", "state"), rows, as_json=True)
    else:
        table = Table("Local", "Remote", "Name", "State")
        for local_version, remote_version, name, state in rows:
            table.add_row(local_version or "", remote_version or "", name, _STATE_STYLE.get(state, state))
        console.print(table)
    if any(state != "applied" for *_, state in rows):
        raise typer.Exit(3)


_STATE_STYLE = {
    "edited since applied": "[red]edited since applied[/]",
    "pending": "[yellow]pending[/]",
    "missing locally": "[red]missing locally[/]",
}


@app.command("bootstrap")
def bootstrap_cmd(
    db_url: DbUrl = None,
    admin_url: AdminUrl = None,
    seed: Annotated[
        bool, typer.Option(envvar="WHATSSOUND_SEED", help="Load supabase/seed.sql (local databases only).")
    ] = True,
) -> None:
    """Make a database ready: local shim (never on Supabase), migrations, then seed data.

    Example: whatssound db bootstrap --no-seed
    """
    with target(db_url, admin_url) as where:
        bootstrap_mod.bootstrap(where.url, where.admin_url, seed=seed, report=_say)


@app.command()
def reset(dry_run: DryRun = False, yes: Yes = False) -> None:
    """Rebuild the LOCAL database from scratch: drop it, then shim, migrations and seed data.

    Only ever acts on the local cluster; to reset anything else, do it deliberately by hand.
    Asks first (skip with --yes); --dry-run only says what it would drop and apply.

    Example: whatssound db reset --yes
    """
    if os.environ.get("DATABASE_URL"):
        raise WhatsSoundError(
            "db reset only rebuilds the local cluster; unset DATABASE_URL to confirm that is meant"
        )
    cluster = LocalCluster.for_dev()
    what = f"database postgres of the local cluster ({cluster.data_dir})"
    if dry_run:
        count = len(migrations.local_migrations(paths.MIGRATIONS_DIR))
        typer.echo(f"would drop the {what}, then apply the shim, {count} migration(s) and the seed data")
        return
    confirm(f"Drop the {what} and rebuild it?", yes=yes)
    with cluster.running():
        with psycopg.connect(cluster.url("supabase_admin", "template1"), autocommit=True) as admin:
            admin.execute("drop database if exists postgres with (force)")
            # Owned by the superuser for now: on a fresh cluster role postgres does not exist yet;
            # the shim creates it and hands it the database (sql/shim/20_database.sql).
            admin.execute("create database postgres")
        bootstrap_mod.bootstrap(cluster.url(), cluster.admin_url, report=_say)
    _say("Local database rebuilt.")


@app.command()
def new(
    domain: Annotated[str, typer.Argument(help="Schema area, e.g. rooms, queue, payments.")],
    name: Annotated[str, typer.Argument(help="What changes, e.g. add-chat-modes.")],
) -> None:
    """Create a migration file sql/<domain>/<UTC timestamp>_<domain>-<name>.sql and its link.

    The link is in supabase/migrations/, the folder `supabase db push` reads.

    Example: whatssound db new rooms add-slow-mode
    """
    slug = f"{domain}-{name}".lower().replace(" ", "-").replace("_", "-")
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    filename = f"{stamp}_{slug}.sql"
    source = paths.SQL_DIR / domain / filename
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(
        f"/*\n * {slug}: <why this change>\n */\n\n"
        "-- types\n\n-- tables (RLS + policies + grants right after each)\n\n-- triggers\n\n"
        "-- helper functions\n\n-- RPCs\n"
    )
    link = paths.MIGRATIONS_DIR / filename
    link.symlink_to(os.path.relpath(source, link.parent))
    console.print(
        f"created {source.relative_to(paths.REPO_ROOT)} (linked from {link.relative_to(paths.REPO_ROOT)})"
    )


@app.command()
def dump(
    db_url: DbUrl = None,
    output: Annotated[
        Path, typer.Option(envvar="WHATSSOUND_SCHEMA_DIR", help="Folder the artifacts are written to.")
    ] = schemadump.SCHEMA_DIR,
) -> None:
    """Write the migrated schema's reviewed artifacts (sql/schema/) from a freshly migrated database.

    One file per table, view, function and type (pg_dump of the configured PostgreSQL), and the
    settings' defaults; a test fails when they are stale.

    Example: make db-reset && whatssound db dump
    """
    pg_dump = PgBinaries.resolve(LocalPgSettings().bindir).tool("pg_dump")
    with target(db_url, None) as where, psycopg.connect(where.url) as conn:
        for path in schemadump.dump(conn, where.url, pg_dump, output):
            console.print(f"wrote {path}")
