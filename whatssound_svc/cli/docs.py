"""``whatssound docs``: documents generated from the database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import psycopg
import typer

from whatssound_svc import apidocs, paths, typegen
from whatssound_svc.cli.db import target
from whatssound_svc.cli.options import DbUrl
from whatssound_svc.local.bootstrap import bootstrap
from whatssound_svc.local.cluster import LocalCluster

app = typer.Typer(help="Generate documentation from the database.", no_args_is_help=True)


@app.command()
def api(
    db_url: DbUrl = None,
    output: Annotated[
        Path, typer.Option(envvar="WHATSSOUND_API_DOC", help="Where to write the API reference.")
    ] = paths.REPO_ROOT / "docs" / "api.md",
) -> None:
    """Write docs/api.md from the migrated database's RPCs, comments and grants.

    Example: make db-push && whatssound docs api
    """
    with target(db_url, None) as where, psycopg.connect(where.url) as conn:
        output.write_text(apidocs.render(conn))
    typer.echo(f"wrote {output}")


@app.command()
def types(
    from_db: Annotated[
        str | None,
        typer.Option(
            envvar="WHATSSOUND_TYPES_DATABASE_URL",
            show_default=False,
            help="A migrated database (role postgres) to read. Default: a throw-away one migrated from sql/.",
        ),
    ] = None,
    output: Annotated[
        Path, typer.Option(envvar="WHATSSOUND_TYPES_DIR", help="Where to write the TypeScript types.")
    ] = typegen.TYPES_DIR,
) -> None:
    """Write the TypeScript types: types/database.types.ts and types/realtime-events.d.ts.

    database.types.ts is what `supabase gen types typescript` prints; realtime-events.d.ts holds
    the realtime events and the RPC results' JSON Schemas. Needs Node and the pinned tools
    (`make tools`).

    Example: whatssound docs types
    """
    typegen.require_tools()
    if from_db:
        written = typegen.write(from_db, output)
    else:
        cluster = LocalCluster.ephemeral("test")
        try:
            cluster.start()
            bootstrap(cluster.url(), cluster.admin_url, seed=False, report=lambda _m: None)
            written = typegen.write(cluster.url(), output)
        finally:
            cluster.destroy()
    for path in written:
        typer.echo(f"wrote {path}")
