"""`public`, `extensions` and the database look as on a current Supabase project."""

from __future__ import annotations

import psycopg
import pytest

from tests.support.postgrest import Identity, PostgrestError, request, rpc


def test_database_is_owned_by_postgres(db: psycopg.Connection) -> None:
    owner = db.execute(
        "select datdba::regrole::text from pg_database where datname = current_database()"
    ).fetchone()
    assert owner == ("postgres",)


@pytest.mark.parametrize("role", ["anon", "authenticated", "service_role", "postgres"])
def test_api_roles_may_use_public_and_extensions(db: psycopg.Connection, role: str) -> None:
    row = db.execute(
        "select has_schema_privilege(%s, 'public', 'USAGE'), has_schema_privilege(%s, 'extensions', 'USAGE')",
        (role, role),
    ).fetchone()
    assert row == (True, True)


def test_uuid_generate_v4_exists_in_extensions(db: psycopg.Connection) -> None:
    value = db.execute("select extensions.uuid_generate_v4()").fetchone()[0]  # type: ignore[index]
    assert value.version == 4


def test_pg_stat_statements_is_installed_and_collecting(db: psycopg.Connection) -> None:
    db.execute("select 1 as marker_for_pg_stat_statements")
    assert db.execute("select count(*) > 0 from extensions.pg_stat_statements").fetchone() == (True,)


def test_new_tables_in_public_are_not_exposed_without_a_grant(db: psycopg.Connection) -> None:
    db.execute("create table public.unexposed (id int primary key)")
    db.execute("insert into public.unexposed values (1)")
    for role in ("anon", "authenticated", "service_role"):
        assert db.execute(
            "select has_table_privilege(%s, 'public.unexposed', 'SELECT')", (role,)
        ).fetchone() == (False,)
    with pytest.raises(psycopg.errors.InsufficientPrivilege), request(db, Identity.anon()):
        db.execute("select * from public.unexposed")


def test_new_functions_are_not_executable_until_granted(db: psycopg.Connection) -> None:
    db.execute("create function public.not_granted() returns int language sql as 'select 1'")
    with pytest.raises(PostgrestError) as denied:
        rpc(db, Identity.anon(), "not_granted")
    assert denied.value.code == "42501"
    assert denied.value.status == 401  # PostgREST: permission denied for anon is 401
    db.execute("grant execute on function public.not_granted() to anon")
    assert rpc(db, Identity.anon(), "not_granted") == 1


def test_postgres_cannot_create_objects_in_supabase_schemas(db: psycopg.Connection) -> None:
    for schema in ("auth", "storage", "realtime"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege), db.transaction():
            db.execute(f"create table {schema}.intruder (id int)")
