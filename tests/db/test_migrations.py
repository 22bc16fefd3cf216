"""`whatssound db push`: ledger, ordering, atomicity and the refusal of edited migrations."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from whatssound_svc import migrations, paths
from whatssound_svc.errors import MigrationEdited, MigrationError

Write = Callable[[str, str], Path]


@pytest.fixture
def migdir(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def write(migdir: Path) -> Write:
    def _write(filename: str, text: str) -> Path:
        path = migdir / filename
        path.write_text(text)
        return path

    return _write


@pytest.fixture
def conn(fresh_db) -> psycopg.Connection:  # type: ignore[no-untyped-def]
    with fresh_db.connect("postgres") as connection:
        connection.execute("drop schema supabase_migrations cascade")  # start from no ledger
        yield connection


def _ledger(conn: psycopg.Connection) -> list[tuple]:
    return conn.execute(
        "select version, name, statements from supabase_migrations.schema_migrations order by 1"
    ).fetchall()


def _exists(conn: psycopg.Connection, table: str) -> bool:
    return conn.execute("select to_regclass(%s) is not null", (table,)).fetchone() == (True,)


def test_push_applies_pending_files_in_order_and_records_cli_statements(
    conn: psycopg.Connection, migdir: Path, write: Write
) -> None:
    write("20260101000001_b.sql", "create table t2 (id int references t1);")
    write("20260101000000_a.sql", "-- first\ncreate table t1 (id int primary key);\n")
    write("README.md", "not a migration")
    messages: list[str] = []
    applied = migrations.push(conn, migdir, report=messages.append)
    assert [m.version for m in applied] == ["20260101000000", "20260101000001"]
    assert _ledger(conn) == [
        ("20260101000000", "a", ["-- first\ncreate table t1 (id int primary key)"]),
        ("20260101000001", "b", ["create table t2 (id int references t1)"]),
    ]
    assert messages[0] == "Applying migration 20260101000000_a.sql..."
    assert migrations.push(conn, migdir, report=messages.append) == []
    assert messages[-1] == "Database is up to date."


def test_dry_run_lists_and_changes_nothing(conn: psycopg.Connection, migdir: Path, write: Write) -> None:
    write("20260101000000_a.sql", "create table t1 (id int);")
    messages: list[str] = []
    planned = migrations.push(conn, migdir, dry_run=True, report=messages.append)
    assert [m.filename for m in planned] == ["20260101000000_a.sql"]
    assert messages == ["Would apply these migrations:", " • 20260101000000_a.sql"]
    assert not _exists(conn, "public.t1")
    assert not _exists(conn, "supabase_migrations.schema_migrations")


def test_an_sql_error_rolls_back_that_file_and_stops(
    conn: psycopg.Connection, migdir: Path, write: Write
) -> None:
    write("20260101000000_ok.sql", "create table good (id int);")
    write("20260101000001_bad.sql", "create table half (id int);\nselect 1/0;\n")
    write("20260101000002_later.sql", "create table later (id int);")
    with pytest.raises(MigrationError) as failure:
        migrations.push(conn, migdir, report=lambda _m: None)
    message = str(failure.value)
    assert "20260101000001_bad.sql: statement 2 failed (22012): division by zero" in message
    assert _exists(conn, "public.good")
    assert not _exists(conn, "public.half")  # nothing of the failed file remains
    assert not _exists(conn, "public.later")
    assert [row[0] for row in _ledger(conn)] == ["20260101000000"]


def test_an_edited_applied_migration_is_refused_before_anything_runs(
    conn: psycopg.Connection, migdir: Path, write: Write
) -> None:
    first = write("20260101000000_a.sql", "create table t1 (id int);")
    migrations.push(conn, migdir, report=lambda _m: None)
    first.write_text("create table t1 (id bigint);")
    write("20260101000001_b.sql", "create table t2 (id int);")
    with pytest.raises(MigrationEdited, match=r"20260101000000_a\.sql.*new migration"):
        migrations.push(conn, migdir, report=lambda _m: None)
    assert not _exists(conn, "public.t2")


def test_whitespace_between_statements_is_not_an_edit(
    conn: psycopg.Connection, migdir: Path, write: Write
) -> None:
    first = write("20260101000000_a.sql", "create table t1 (id int);")
    migrations.push(conn, migdir, report=lambda _m: None)
    first.write_text("\n\ncreate table t1 (id int)  ;\n\n")
    assert migrations.push(conn, migdir, report=lambda _m: None) == []


def test_a_ledger_version_missing_locally_is_refused(
    conn: psycopg.Connection, migdir: Path, write: Write
) -> None:
    gone = write("20260101000000_a.sql", "select 1;")
    migrations.push(conn, migdir, report=lambda _m: None)
    gone.unlink()
    with pytest.raises(MigrationError, match="not found in local migrations directory: 20260101000000"):
        migrations.push(conn, migdir, report=lambda _m: None)


def test_a_file_older_than_the_last_applied_needs_include_all(
    conn: psycopg.Connection, migdir: Path, write: Write
) -> None:
    write("20260101000005_a.sql", "select 1;")
    migrations.push(conn, migdir, report=lambda _m: None)
    write("20260101000001_late.sql", "create table late (id int);")
    with pytest.raises(MigrationError, match="inserted before the last migration"):
        migrations.push(conn, migdir, report=lambda _m: None)
    migrations.push(conn, migdir, include_all=True, report=lambda _m: None)
    assert _exists(conn, "public.late")


def test_statements_that_cannot_run_in_a_transaction_are_refused(
    conn: psycopg.Connection, migdir: Path, write: Write
) -> None:
    write("20260101000000_a.sql", "create table t (id int);\ncreate index concurrently i on t (id);")
    with pytest.raises(MigrationError, match="cannot run inside a transaction"):
        migrations.push(conn, migdir, report=lambda _m: None)
    assert not _exists(conn, "public.t")


def test_push_needs_an_autocommit_connection(fresh_db, migdir: Path) -> None:  # type: ignore[no-untyped-def]
    with fresh_db.connect("postgres", autocommit=False) as conn, pytest.raises(MigrationError):
        migrations.push(conn, migdir)


# -- the repository's own migrations -------------------------------------------------------

REPO_MIGRATIONS = migrations.local_migrations(paths.MIGRATIONS_DIR)
_NAME = re.compile(r"^\d{14}_[a-z0-9]+(-[a-z0-9]+)+\.sql$")


def test_every_migration_is_a_link_to_its_one_copy_in_sql() -> None:
    linked = set()
    for entry in paths.MIGRATIONS_DIR.iterdir():
        assert entry.is_symlink(), f"{entry.name} must be a symlink into sql/<domain>/"
        target = entry.resolve()
        assert target.parent.parent == paths.SQL_DIR, f"{entry.name} points outside sql/"
        assert target.name == entry.name
        linked.add(target)
    sources = {p.resolve() for p in paths.SQL_DIR.glob("*/*.sql") if p.parent.name not in ("shim", "schema")}
    assert sources == linked, "every sql/<domain>/*.sql needs its supabase/migrations link"


@pytest.mark.parametrize("migration", REPO_MIGRATIONS, ids=lambda m: m.filename)
def test_migration_names_follow_the_convention(migration: migrations.Migration) -> None:
    assert _NAME.match(migration.filename), "name: <UTC timestamp>_<domain>-<change>.sql"
    assert migration.name.split("-")[0] == migration.path.resolve().parent.name


_FORBIDDEN = re.compile(
    r"\b(create|alter|drop)\s+(or\s+replace\s+)?(table|function|view|index|type|sequence|schema|"
    r"procedure)\s+(if\s+(not\s+)?exists\s+)?\"?(auth|storage|realtime)\"?\.",
    re.IGNORECASE,
)


@pytest.mark.parametrize("migration", REPO_MIGRATIONS, ids=lambda m: m.filename)
def test_migrations_create_nothing_in_supabase_owned_schemas(
    migration: migrations.Migration,
) -> None:
    for statement in migration.statements:
        body = re.sub(r"--[^\n]*|/\*.*?\*/", "", statement, flags=re.DOTALL)
        assert not _FORBIDDEN.search(body), f"creates an object in a Supabase schema: {body[:80]}"
        assert "supabase_shim" not in body, "the local shim must never be referenced"


#: Hosted supautils (supabase/postgres ansible/files/postgresql_config/supautils.conf.j2): roles
#: user SQL may not alter, and the settings postgres may still set on them (reserved_roles marked
#: "*", privileged_role_allowed_configs). The local shim cannot run supautils, so this is checked here.
_RESERVED_ROLES = ("supabase_admin", "supabase_auth_admin", "supabase_storage_admin", "supabase_read_only_user",
                   "supabase_replication_admin", "dashboard_user", "pgbouncer", "service_role", "authenticator",
                   "authenticated", "anon")  # fmt: skip
_ALLOWED_ROLE_SETTING = re.compile(
    r'^"?(pgrst\.[a-z_]+|safeupdate\.enabled|session_replication_role|log_min_messages|pgaudit\.[a-z_]+)"?$'
)
_ALTER_ROLE = re.compile(r"\balter\s+role\s+\"?(\w+)\"?\s+(.*)", re.IGNORECASE | re.DOTALL)
_GRANT_ROLE = re.compile(r"\bgrant\s+([\w\s,\"]+?)\s+to\s+", re.IGNORECASE)


@pytest.mark.parametrize("migration", REPO_MIGRATIONS, ids=lambda m: m.filename)
def test_migrations_touch_reserved_roles_only_as_supautils_allows(migration: migrations.Migration) -> None:
    for statement in migration.statements:
        body = re.sub(r"--[^\n]*|/\*.*?\*/", "", statement, flags=re.DOTALL).strip()
        if (alter := _ALTER_ROLE.match(body)) and alter.group(1).lower() in _RESERVED_ROLES:
            setting = re.match(r"set\s+(\S+)\s*(=|to)", alter.group(2), re.IGNORECASE)
            assert setting, f"alters a reserved role: {body[:100]}"
            assert _ALLOWED_ROLE_SETTING.match(setting.group(1).lower()), (
                f"a setting supautils refuses: {body[:100]}"
            )
        if (grant := _GRANT_ROLE.match(body)) and " on " not in body.lower():
            granted = {r.strip(' "').lower() for r in grant.group(1).split(",")}
            assert not granted & set(_RESERVED_ROLES), f"grants a reserved role: {body[:100]}"


def test_repository_migrations_apply_once_and_leave_nothing_pending(fresh_db) -> None:  # type: ignore[no-untyped-def]
    with fresh_db.connect("postgres") as conn:
        applied = migrations.applied_migrations(conn)
        assert sorted(applied) == [m.version for m in REPO_MIGRATIONS]
        assert migrations.edited_migrations(REPO_MIGRATIONS, applied) == []
        assert migrations.push(conn, paths.MIGRATIONS_DIR, report=lambda _m: None) == []
