"""How operator commands print: a Rich table for people, one JSON document with ``--json``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import typer
from rich.console import Console
from rich.table import Table


def emit(columns: Sequence[str], rows: Sequence[Sequence[Any]], *, as_json: bool, title: str = "") -> None:
    """Print ``rows`` (tuples in ``columns`` order) as a table, or as a JSON list of objects."""
    if as_json:
        typer.echo(json.dumps([dict(zip(columns, row, strict=True)) for row in rows], default=str))
        return
    table = Table(*columns, title=title or None)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    Console(width=200).print(table)


def emit_one(document: dict[str, Any], *, as_json: bool, title: str = "") -> None:
    """Print one object: key/value lines, or JSON."""
    if as_json:
        typer.echo(json.dumps(document, default=str))
        return
    emit(("field", "value"), [(k, v) for k, v in document.items()], as_json=False, title=title)
