"""``whatssound pg``: the local PostgreSQL cluster (start, stop, status, url)."""

from __future__ import annotations

import typer
from rich.console import Console

from whatssound_svc.cli.options import Json
from whatssound_svc.cli.output import emit_one
from whatssound_svc.local.cluster import LocalCluster

app = typer.Typer(help="Manage the local PostgreSQL cluster (data in .local/pg).", no_args_is_help=True)
console = Console()


@app.command()
def start() -> None:
    """Start the local cluster in the background (initialising it on first use).

    Example: [bold]whatssound pg start[/] then [bold]psql "$(whatssound pg url)"[/]
    """
    cluster = LocalCluster.for_dev()
    cluster.start()
    console.print(f"PostgreSQL running: {cluster.url()}")


@app.command()
def stop() -> None:
    """Stop the local cluster (fast shutdown).

    Example: whatssound pg stop
    """
    LocalCluster.for_dev().stop()
    console.print("PostgreSQL stopped")


@app.command()
def status(as_json: Json = False) -> None:
    """Say whether the local cluster runs, where, and with which binaries (exit 3 when stopped).

    Example: whatssound pg status --json
    """
    cluster = LocalCluster.for_dev()
    pid = cluster.postmaster_pid()
    facts = {
        "state": "running" if pid else "stopped",
        "pid": pid or None,
        "url": cluster.url(),
        "data": str(cluster.data_dir),
        "binaries": str(cluster.binaries.bindir),
        "postgresql": cluster.binaries.major_version,
    }
    if as_json:
        emit_one(facts, as_json=True)
    else:
        console.print(f"state:    {f'running (pid {pid})' if pid else 'stopped'}")
        console.print(f"url:      {facts['url']}")
        console.print(f"data:     {facts['data']}")
        console.print(f"binaries: {facts['binaries']} (PostgreSQL {facts['postgresql']})")
    if not pid:
        raise typer.Exit(3)


@app.command()
def url(
    user: str = typer.Option(
        "postgres", envvar="WHATSSOUND_PG_URL_USER", help="Role to connect as (supabase_admin is superuser)."
    ),
) -> None:
    """Print the local cluster's connection URL (for psql, scripts).

    Example: psql "$(whatssound pg url)"
    """
    print(LocalCluster.for_dev().url(user))
