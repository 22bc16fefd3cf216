"""Apply the migrations in ``supabase/migrations`` the way ``supabase db push`` does.

Both tools share the Supabase CLI's ledger, ``supabase_migrations.schema_migrations (version
text primary key, statements text[], name text)``, so either can apply some migrations and the
other the rest. Like the CLI, each file is split into statements (:mod:`sqlsplit`) and applied
in its own transaction together with its ledger row, after ``RESET ALL``; an SQL error rolls
that file back and stops. Beyond the CLI, we refuse to run when an applied file was edited
since (its statements no longer match the ledger's): migrations are immutable, fix forward.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import psycopg
from psycopg import sql

from whatssound_svc.errors import MigrationEdited, MigrationError
from whatssound_svc.sqlsplit import split_statements

logger = logging.getLogger(__name__)

#: Same pattern as the CLI: the version is the leading digits, the name the rest.
FILE_PATTERN = re.compile(r"^([0-9]+)_(.*)\.sql$")
#: The CLI skips a legacy `<ts>_init.sql` older than this as its first file.
_LEGACY_INIT_BEFORE = "20211209000000"
#: Statements PostgreSQL cannot run inside a transaction block; we keep one transaction per file.
_NO_TRANSACTION = re.compile(
    r"^\s*(create\s+(unique\s+)?index\s+concurrently|drop\s+index\s+concurrently|reindex\b.*\bconcurrently"
    r"|vacuum\b|alter\s+system\b|cluster\b|begin\b|start\s+transaction\b|commit\b|end\b|abort\b"
    r"|rollback\b(?!\s+to)|prepare\s+transaction\b)",
    re.IGNORECASE | re.DOTALL,
)

Report = Callable[[str], None]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


@dataclass(frozen=True)
class Migration:
    """One migration file."""

    version: str
    name: str
    path: Path

    @cached_property
    def statements(self) -> list[str]:
        """The file's statements, cut as the Supabase CLI cuts them."""
        return split_statements(self.path.read_text(encoding="utf-8"))

    @property
    def filename(self) -> str:
        """The file's name, e.g. ``20261127000000_rooms-profiles.sql``."""
        return self.path.name


@dataclass(frozen=True)
class Applied:
    """One ledger row."""

    version: str
    name: str | None
    statements: list[str] | None


def local_migrations(directory: Path) -> list[Migration]:
    """The migration files in ``directory`` in apply order (symlinks followed, as the CLI does)."""
    found: list[Migration] = []
    if not directory.is_dir():
        return found
    for index, path in enumerate(sorted(directory.iterdir(), key=lambda p: p.name.encode())):
        if path.is_dir():
            continue
        match = FILE_PATTERN.match(path.name)
        if match is None:
            logger.warning("skipping %s: name must match <timestamp>_name.sql", path.name)
            continue
        version, name = match.groups()
        if index == 0 and name == "init" and len(version) == 14 and version < _LEGACY_INIT_BEFORE:
            continue
        found.append(Migration(version=version, name=name, path=path))
    return found


def create_ledger_objects(conn: psycopg.Connection, *ddl: str) -> None:
    """Run ledger DDL as the CLI does: one transaction, a 4 s lock timeout, idempotent."""
    with conn.transaction():
        conn.execute("set local lock_timeout = '4s'")
        conn.execute("create schema if not exists supabase_migrations")
        for statement in ddl:
            conn.execute(sql.SQL(statement))  # constants from the callers below


def ensure_ledger(conn: psycopg.Connection) -> None:
    """Create the CLI's migration ledger if missing (same DDL)."""
    create_ledger_objects(
        conn,
        "create table if not exists supabase_migrations.schema_migrations"
        " (version text not null primary key)",
        "alter table supabase_migrations.schema_migrations add column if not exists statements text[]",
        "alter table supabase_migrations.schema_migrations add column if not exists name text",
    )


def applied_migrations(conn: psycopg.Connection) -> dict[str, Applied]:
    """The ledger's rows by version (empty when there is no ledger yet)."""
    if conn.execute("select to_regclass('supabase_migrations.schema_migrations')").fetchone() == (None,):
        return {}
    has_columns = conn.execute(
        "select count(*) = 2 from pg_attribute"
        " where attrelid = 'supabase_migrations.schema_migrations'::regclass"
        " and attname in ('statements', 'name') and not attisdropped"
    ).fetchone()
    if has_columns == (True,):
        rows = conn.execute(
            "select version, name, statements from supabase_migrations.schema_migrations order by version"
        ).fetchall()
    else:
        rows = conn.execute(
            "select version, null, null from supabase_migrations.schema_migrations order by version"
        ).fetchall()
    return {r[0]: Applied(version=r[0], name=r[1], statements=r[2]) for r in rows}


async def applied_versions_async(conn: psycopg.AsyncConnection) -> set[str]:
    """The applied versions, for the service's readiness probe."""
    cur = await conn.execute("select to_regclass('supabase_migrations.schema_migrations')")
    if await cur.fetchone() == (None,):
        return set()
    cur = await conn.execute("select version from supabase_migrations.schema_migrations")
    return {row[0] for row in await cur.fetchall()}


def edited_migrations(local: list[Migration], applied: dict[str, Applied]) -> list[Migration]:
    """Applied migrations whose file no longer has the statements recorded when applied."""
    return [
        m
        for m in local
        if m.version in applied
        and applied[m.version].statements is not None
        and applied[m.version].statements != m.statements
    ]


def pending_migrations(
    local: list[Migration], applied: dict[str, Applied], *, include_all: bool = False
) -> list[Migration]:
    """What a push would apply, refusing the same situations the Supabase CLI refuses."""
    local_versions = {m.version for m in local}
    missing = sorted(v for v in applied if v not in local_versions)
    if missing:
        raise MigrationError(
            "Remote migration versions not found in local migrations directory: "
            + ", ".join(missing)
            + ". Restore those files, or if they were reverted on purpose run "
            "`supabase migration repair --status reverted <versions>`."
        )
    pending = [m for m in local if m.version not in applied]
    if applied and not include_all:
        last = max(applied)
        late = [m for m in pending if m.version < last]
        if late:
            raise MigrationError(
                "Found local migration files to be inserted before the last migration on the "
                "database: " + ", ".join(m.filename for m in late) + ". Rename them to a later "
                "timestamp, or rerun with --include-all to apply them anyway."
            )
    return pending


def _apply_one(conn: psycopg.Connection, migration: Migration) -> None:
    statements = migration.statements
    for statement in statements:
        if _NO_TRANSACTION.match(_strip_leading_comments(statement)):
            raise MigrationError(
                f"{migration.filename}: `{statement.splitlines()[0][:60]}` cannot run inside a "
                "transaction; keep it out of migrations (or apply this file with `supabase db push`)"
            )
    conn.execute("reset all")
    with conn.transaction():
        for number, statement in enumerate(statements, start=1):
            try:
                conn.execute(sql.SQL(statement))  # trusted repo file
            except psycopg.Error as exc:
                first_line = statement.strip().splitlines()[0][:100]
                raise MigrationError(
                    f"{migration.filename}: statement {number} failed "
                    f"({exc.sqlstate}): {exc.diag.message_primary}\n  at: {first_line}"
                    + (f"\n  hint: {exc.diag.message_hint}" if exc.diag.message_hint else "")
                ) from exc
        conn.execute(
            "insert into supabase_migrations.schema_migrations (version, name, statements)"
            " values (%s, %s, %s)",
            (migration.version, migration.name, statements),
        )


def _strip_leading_comments(statement: str) -> str:
    text = statement.lstrip()
    while text.startswith(("--", "/*")):
        if text.startswith("--"):
            text = text.split("\n", 1)[1] if "\n" in text else ""
        else:
            text = text.split("*/", 1)[1] if "*/" in text else ""
        text = text.lstrip()
    return text


def push(
    conn: psycopg.Connection,
    directory: Path,
    *,
    dry_run: bool = False,
    include_all: bool = False,
    report: Report = _stderr,
) -> list[Migration]:
    """Apply pending migrations; returns what was (or, dry-run, would be) applied.

    ``conn`` must be in autocommit mode: each file gets its own transaction.
    """
    if not conn.autocommit:
        raise MigrationError("push needs an autocommit connection (one transaction per file)")
    local = local_migrations(directory)
    applied = applied_migrations(conn)
    edited = edited_migrations(local, applied)
    if edited:
        raise MigrationEdited(
            "these applied migrations were edited since they ran: "
            + ", ".join(m.filename for m in edited)
            + ". Migrations are immutable once applied: restore them (git checkout) and put the "
            "change in a new migration (`whatssound db new <domain> <name>`)."
        )
    pending = pending_migrations(local, applied, include_all=include_all)
    if not pending:
        report("Database is up to date.")
        return []
    if dry_run:
        report("Would apply these migrations:")
        for migration in pending:
            report(f" • {migration.filename}")
        return pending
    ensure_ledger(conn)
    for migration in pending:
        report(f"Applying migration {migration.filename}...")
        _apply_one(conn, migration)
    report(f"Applied {len(pending)} migration(s).")
    return pending
