"""Options shared by several commands (one definition, one env var each)."""

from __future__ import annotations

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
