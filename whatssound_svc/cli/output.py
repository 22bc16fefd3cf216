"""How operator commands print: a Rich table for people, one JSON document with ``--json``.

Every ``--json`` goes through :func:`dumps`, so all commands agree: numbers are JSON numbers
(PostgreSQL ``numeric`` too), timestamps ISO 8601 with ``T`` and their offset, ``NULL`` is ``null``.
Tables print the same values the same way (an absent value as an empty cell).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import typer
from rich.console import Console
from rich.table import Table


def plain(value: Any) -> Any:
    """A database value as JSON has it: Decimal as int or float, time as ISO 8601, UUID as text."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(document: Any) -> str:
    """The one JSON encoding every ``--json`` output uses (see the module docstring)."""
    return json.dumps(document, default=plain)


def shown(value: Any) -> str:
    """A value as a table cell: empty for null, ISO 8601 for time, the JSON form for lists and objects."""
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return dumps(value)
    if isinstance(value, Decimal | dt.datetime | dt.date | dt.time | uuid.UUID):
        return str(plain(value))
    return str(value)


def emit(columns: Sequence[str], rows: Sequence[Sequence[Any]], *, as_json: bool, title: str = "") -> None:
    """Print ``rows`` (tuples in ``columns`` order) as a table, or as a JSON list of objects."""
    if as_json:
        typer.echo(dumps([dict(zip(columns, row, strict=True)) for row in rows]))
        return
    table = Table(*columns, title=title or None)
    for row in rows:
        table.add_row(*(shown(v) for v in row))
    Console(width=200).print(table)


def emit_one(document: dict[str, Any], *, as_json: bool, title: str = "") -> None:
    """Print one object: key/value lines, or JSON."""
    if as_json:
        typer.echo(dumps(document))
        return
    emit(("field", "value"), list(document.items()), as_json=False, title=title)
