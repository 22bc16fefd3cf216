"""Check what a json-returning RPC returned against ``docs/rpc-results/<name>.schema.json``.

The schemas use three keywords of their own for values that are the database's types:
``x-row`` (a ``public`` table's row, as ``to_json`` writes it), ``x-composite`` (a ``public``
composite type's value) and ``x-enum`` (a ``public`` enum's label). Here they are checked against
the catalog: a row or composite value has exactly the columns or attributes of its type, an enum
value is one of its labels. (types/realtime-events.d.ts turns them into ``Tables<"t">`` ….)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from typing import Any

import psycopg
from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from tests.support.broadcasts import SCHEMAS
from tests.support.broadcasts import validate as validate_event

RESULT_SCHEMAS = SCHEMAS.parent / "rpc-results"

_FIELDS = """
select c.relname, c.relkind = 'c', array_agg(a.attname::text order by a.attnum)
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
where n.nspname = 'public' and c.relkind in ('r', 'p', 'c')
group by c.relname, c.relkind
"""

_ENUMS = """
select t.typname, array_agg(e.enumlabel::text order by e.enumsortorder)
from pg_type t join pg_namespace n on n.oid = t.typnamespace join pg_enum e on e.enumtypid = t.oid
where n.nspname = 'public' group by t.typname
"""


class Catalog:
    """The ``public`` tables', composite types' and enums' fields and labels."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self.tables: dict[str, list[str]] = {}
        self.composites: dict[str, list[str]] = {}
        for name, is_composite, fields in conn.execute(_FIELDS).fetchall():
            (self.composites if is_composite else self.tables)[name] = fields
        self.enums: dict[str, list[str]] = dict(conn.execute(_ENUMS).fetchall())

    def names(self, keyword: str) -> dict[str, list[str]]:
        return {"x-row": self.tables, "x-composite": self.composites, "x-enum": self.enums}[keyword]


def result_names() -> set[str]:
    """The RPCs whose results are documented."""
    return {p.name.removesuffix(".schema.json") for p in RESULT_SCHEMAS.glob("*.schema.json")}


def database_references() -> Iterator[tuple[str, str, str]]:
    """(schema file, keyword, type name) for every x- keyword in the result schemas."""

    def walk(node: Any, where: str) -> Iterator[tuple[str, str, str]]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("x-row", "x-composite", "x-enum"):
                    yield where, key, value
                else:
                    yield from walk(value, where)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item, where)

    for path in sorted(RESULT_SCHEMAS.glob("*.schema.json")):
        yield from walk(json.loads(path.read_text()), path.name)


@cache
def _registry() -> Registry:
    """The result schemas and the event catalogue (they refer to its envelope), without their
    ``$schema``: a referenced schema that names its dialect is checked by that dialect's stock
    validator, which would skip the keywords above."""
    resources = []
    for path in sorted([*RESULT_SCHEMAS.glob("*.schema.json"), *SCHEMAS.glob("*.schema.json")]):
        schema = {k: v for k, v in json.loads(path.read_text()).items() if k != "$schema"}
        resources.append((schema["$id"], DRAFT202012.create_resource(schema)))
    return Registry().with_resources(resources)


def _fields(keyword: str, catalog: Catalog) -> Any:
    def check(_validator: Any, name: str, instance: Any, _schema: Any) -> Iterator[ValidationError]:
        known = catalog.names(keyword)
        if name not in known:
            yield ValidationError(f"{keyword} {name!r}: no such type in schema public")
        elif keyword == "x-enum":
            if instance not in known[name]:
                yield ValidationError(f"{instance!r} is not a label of enum {name}")
        elif isinstance(instance, dict) and sorted(instance) != sorted(known[name]):
            missing, extra = set(known[name]) - set(instance), set(instance) - set(known[name])
            yield ValidationError(
                f"not a {name} value: missing {sorted(missing)}, unexpected {sorted(extra)}"
            )

    return check


def validate(conn: psycopg.Connection, name: str, instance: Any) -> None:
    """Raise ValidationError unless ``instance`` is what RPC ``name`` documents; every realtime
    envelope in it must also carry ``data`` matching its event's schema."""
    catalog = Catalog(conn)
    checker = validators.extend(
        Draft202012Validator, {k: _fields(k, catalog) for k in ("x-row", "x-composite", "x-enum")}
    )
    schemas = _registry()
    schema = schemas.contents(f"https://whatssound.app/schemas/rpc/{name}.schema.json")
    checker(schema, registry=schemas, format_checker=FormatChecker()).validate(instance)
    if isinstance(instance, dict):
        for envelope in [*instance.get("events", []), *instance.get("personal_events", [])]:
            validate_event(envelope["event"], envelope["data"])
