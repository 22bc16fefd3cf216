"""``whatssound docs``: documents generated from the database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import psycopg
import typer

from whatssound_svc import apidocs, paths
from whatssound_svc.cli.db import target
from whatssound_svc.cli.options import DbUrl

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
