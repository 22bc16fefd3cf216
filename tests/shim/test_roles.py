"""The shim's roles have Supabase's attributes, settings and memberships."""

from __future__ import annotations

import psycopg
import pytest

from tests.support.postgrest import Identity, request


def _role(db: psycopg.Connection, name: str) -> dict[str, object]:
    row = db.execute(
        "select rolcanlogin, rolsuper, rolinherit, rolbypassrls, rolcreaterole, rolcreatedb,"
        " rolreplication from pg_roles where rolname = %s",
        (name,),
    ).fetchone()
    assert row is not None, f"role {name} is missing"
    keys = ("login", "super", "inherit", "bypassrls", "createrole", "createdb", "replication")
    return dict(zip(keys, row, strict=True))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("anon", {"login": False, "super": False, "inherit": True, "bypassrls": False}),
        ("authenticated", {"login": False, "super": False, "inherit": True, "bypassrls": False}),
        ("service_role", {"login": False, "super": False, "inherit": True, "bypassrls": True}),
        ("authenticator", {"login": True, "super": False, "inherit": False, "bypassrls": False}),
        ("supabase_auth_admin", {"login": True, "inherit": False, "createrole": False}),
        # The migration role is not a superuser on Supabase; tests must not rely on one.
        (
            "postgres",
            {"login": True, "super": False, "bypassrls": True, "createrole": True,
             "createdb": True, "replication": True},
        ),
        ("supabase_admin", {"login": True, "super": True}),
    ],
)  # fmt: skip
def test_role_has_supabase_attributes(db: psycopg.Connection, name: str, expected: dict) -> None:
    attributes = _role(db, name)
    assert {k: attributes[k] for k in expected} == expected


def test_authenticator_is_member_of_the_api_roles_only(db: psycopg.Connection) -> None:
    rows = db.execute(
        "select r.rolname from pg_auth_members m join pg_roles r on r.oid = m.roleid"
        " where m.member = 'authenticator'::regrole order by 1"
    ).fetchall()
    assert [r[0] for r in rows] == ["anon", "authenticated", "service_role"]


def test_postgres_may_switch_to_each_api_role(db: psycopg.Connection) -> None:
    for role in ("anon", "authenticated", "service_role"):
        assert db.execute("select pg_has_role('postgres', %s, 'MEMBER')", (role,)).fetchone() == (True,)


@pytest.mark.parametrize(
    ("role", "setting", "value"),
    [
        ("anon", "statement_timeout", "3s"),
        ("authenticated", "statement_timeout", "8s"),
        ("authenticator", "statement_timeout", "8s"),
        ("authenticator", "lock_timeout", "8s"),
        ("postgres", "search_path", '"$user", public, extensions'),
    ],
)
def test_role_settings_match_supabase(db: psycopg.Connection, role: str, setting: str, value: str) -> None:
    rows = db.execute(
        "select unnest(setconfig) from pg_db_role_setting where setrole = %s::regrole",
        (role,),
    ).fetchall()
    assert f"{setting}={value}" in [r[0] for r in rows]


def test_a_request_as_anon_runs_under_anons_statement_timeout(db: psycopg.Connection) -> None:
    with request(db, Identity.anon()):
        assert db.execute("show statement_timeout").fetchone() == ("3s",)
        assert db.execute("select current_user").fetchone() == ("anon",)


def test_the_authenticator_login_can_become_each_api_role(fresh_db) -> None:  # type: ignore[no-untyped-def]
    with fresh_db.connect("authenticator") as conn:
        for role in ("anon", "authenticated", "service_role"):
            with conn.transaction():
                conn.execute(f"set local role {role}")
                assert conn.execute("select current_user").fetchone() == (role,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
            conn.execute("set local role postgres")
