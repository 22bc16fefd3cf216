"""The effective schema as committed, reviewed artifacts (``whatssound db dump``), so a change shows
its real effect and every reader finds the current truth in one file.

What fifty-odd migrations fold into is written under ``sql/schema/``, from ``pg_dump
--schema-only`` of a freshly migrated database (our schemas ``public``, ``hidden``, ``private``):

- ``<schema>/tables/<table>.sql``: the table with its defaults, constraints, indexes, triggers,
  row-level security, policies, grants and comments (views in ``<schema>/views/``);
- ``<schema>/functions/<name>.sql``: every function of that name, its current body, comment and
  grants; ``<schema>/types/<name>.sql``: composite and enum types;
- ``schemas.sql``: the schemas themselves; ``settings.json``: the operational settings' defaults
  (what a fresh migration leaves in private.settings), which the cost model also reads.

pg_dump's own order (dependencies, then names) is kept within each file; its per-run noise (the
``\\restrict`` key, the versions, session settings) is left out, and each policy's roles are
sorted (pg_dump prints them in catalog order, which moves when a role is altered). The dump is
made with the PostgreSQL major of ``make test``'s default server (recorded in
``sql/schema/README.md``), since another major's pg_dump words a few things differently.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path
from typing import Any

import psycopg

from whatssound_svc import paths

SCHEMA_DIR = paths.SQL_DIR / "schema"
SETTINGS_FILE = SCHEMA_DIR / "settings.json"
SCHEMAS = ("public", "hidden", "private")
#: The PostgreSQL major the committed dump was made with (make test's default server).
DUMP_MAJOR = 18

_HEADER = re.compile(r"^-- Name: (?P<name>.*); Type: (?P<type>.*); Schema: (?P<schema>.*); Owner: .*$", re.M)
_ON = re.compile(r"\b(?:ON|ALTER TABLE(?: ONLY)?) (?P<schema>\w+)\.\"?(?P<table>\w+)\"?")
_NOISE = re.compile(r"^(\\(un)?restrict .*|-- Dumped (from|by) .*)$", re.M)
_README = """# sql/schema: the effective schema (generated)

What the migrations in `sql/<domain>/` add up to, one file per object, written by
`whatssound db dump` from a freshly migrated database (pg_dump --schema-only, PostgreSQL {major}).
Never edit these files: change the schema with a new migration, then regenerate. A test
(`tests/schema/test_schema_dump.py`) fails while they are stale.

- `<schema>/tables/<table>.sql`: a table with its constraints, indexes, triggers, policies, grants
  and comments; `<schema>/views/<view>.sql`: a view.
- `<schema>/functions/<name>.sql`: every function of that name with its current body.
- `<schema>/types/<name>.sql`: composite and enum types. `schemas.sql`: the schemas.
- `settings.json`: the operational settings' defaults.
"""


def settings(conn: psycopg.Connection[Any]) -> dict[str, dict[str, Any]]:
    """Every operational setting of a migrated database: key -> {value: the default the migrations
    declare (never an operator's override), description}, sorted."""
    query = "select key, default_value, description from private.settings order by key"
    rows = conn.execute(query).fetchall()
    return {key: {"value": value, "description": description} for key, value, description in rows}


def render_settings(conn: psycopg.Connection[Any]) -> str:
    """sql/schema/settings.json's text for this database."""
    return json.dumps(settings(conn), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _pg_dump(url: str, pg_dump: str) -> str:
    args = [pg_dump, "--schema-only", "--no-owner", *(f"--schema={s}" for s in SCHEMAS), url]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


#: A policy's role list: pg_dump prints it in pg_authid's heap order (its query has no ORDER BY),
#: which moves whenever a role is altered; sorted here, so the dump depends on the schema alone.
_POLICY_ROLES = re.compile(
    r'^(CREATE POLICY "(?:[^"]|"")*" ON \S+(?: AS \w+)?(?: FOR \w+)? TO )'
    r"(.+?)(?= USING \(| WITH CHECK \(|;$)",
    re.M,
)


def _sorted_roles(policy: re.Match[str]) -> str:
    return policy[1] + ", ".join(sorted(policy[2].split(", ")))


def _entries(dump: str) -> list[tuple[str, str, str, str]]:
    """(type, schema, name, statements) for each entry of pg_dump's table of contents, in order."""
    headers = list(_HEADER.finditer(dump))
    found = []
    for header, after in zip(headers, [*headers[1:], None], strict=True):
        body = _NOISE.sub("", dump[header.end() : after.start() if after else len(dump)]).strip()
        body = body.removeprefix("--").strip().removesuffix("--").strip()
        body = _POLICY_ROLES.sub(_sorted_roles, body)
        found.append((header["type"], header["schema"], header["name"], body))
    return found


class _Layout:
    """Which file each pg_dump entry belongs in: the object it is about, or the table it is on."""

    def __init__(self, entries: list[tuple[str, str, str, str]]) -> None:
        self.kind: dict[tuple[str, str], str] = {}
        self.index_table: dict[tuple[str, str], tuple[str, str]] = {}
        for kind, schema, name, body in entries:
            if kind in ("TABLE", "VIEW", "TYPE"):
                self.kind[(schema, name)] = {"TABLE": "tables", "VIEW": "views", "TYPE": "types"}[kind]
            elif kind in ("INDEX", "SEQUENCE") and (on := _ON.search(body)):
                self.index_table[(schema, name)] = (on["schema"], on["table"])

    def _object(self, schema: str, name: str) -> str:
        return f"{schema}/{self.kind.get((schema, name), 'tables')}/{name}.sql"

    def file_for(self, kind: str, schema: str, name: str) -> str:
        """The file (relative to sql/schema) an entry belongs in."""
        target, _, rest = name.partition(" ")
        if kind in ("SCHEMA", "EXTENSION") or target == "SCHEMA":
            return "schemas.sql"
        if kind in ("FUNCTION", "PROCEDURE") or target in ("FUNCTION", "PROCEDURE"):
            # The function itself ("f(args)"), or its COMMENT or ACL ("FUNCTION f(args)").
            function = name if kind in ("FUNCTION", "PROCEDURE") else rest
            return f"{schema}/functions/{function.split('(', maxsplit=1)[0]}.sql"
        return self._object(*self._owner(kind, schema, target, rest))

    def _owner(self, kind: str, schema: str, target: str, rest: str) -> tuple[str, str]:
        """(schema, name) of the table, view or type an entry is about or on."""
        if kind in ("INDEX", "SEQUENCE") or target in ("INDEX", "SEQUENCE"):
            named = rest or target
            return self.index_table.get((schema, named), (schema, named))
        if target in ("TABLE", "VIEW", "TYPE", "COLUMN"):
            return schema, rest.split(".", maxsplit=1)[0]
        if target in ("CONSTRAINT", "TRIGGER", "POLICY", "RULE") and " ON " in rest:
            return schema, rest.rsplit(" ON ", 1)[1]
        # TABLE, VIEW, TYPE entries; constraints, triggers, policies, row security: "<table> <name>".
        return schema, target


def render(url: str, pg_dump: str) -> dict[str, str]:
    """sql/schema's schema files for the migrated database at ``url``: relative path -> text."""
    entries = _entries(_pg_dump(url, pg_dump))
    layout = _Layout(entries)
    files: dict[str, list[str]] = defaultdict(list)
    for kind, schema, name, body in entries:
        files[layout.file_for(kind, schema, name)].append(f"-- {kind}: {name}\n{body}\n")
    return {path: "\n".join(parts) for path, parts in sorted(files.items())}


def dump(conn: psycopg.Connection[Any], url: str, pg_dump: str, target: Path = SCHEMA_DIR) -> list[Path]:
    """Write every artifact for this (freshly migrated) database under ``target``; returns them."""
    for stale in (target / s for s in SCHEMAS):
        shutil.rmtree(stale, ignore_errors=True)
    written = []
    for relative, text in {**render(url, pg_dump), "README.md": _README.format(major=DUMP_MAJOR)}.items():
        out = target / relative
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text)
        written.append(out)
    out = target / SETTINGS_FILE.name
    out.write_text(render_settings(conn))
    return [*written, out]


def setting_defaults(path: Path = SETTINGS_FILE) -> dict[str, Any]:
    """The committed defaults: key -> value (JSON)."""
    return {key: entry["value"] for key, entry in json.loads(path.read_text()).items()}
