"""Every PL/pgSQL function passes plpgsql_check (bodies are opaque strings to sqlfluff).

Runs where the extension exists: Debian's PostgreSQL 15 with `postgresql-15-plpgsql-check`
(the second CI job, which sets WHATSSOUND_REQUIRE_PLPGSQL_CHECK so it can never silently skip).
The embedded PostgreSQL 18 does not ship it.
"""

from __future__ import annotations

import os

import pytest

SCHEMAS = ["public", "hidden", "private", "auth", "realtime", "storage", "supabase_shim"]


def test_plpgsql_functions_have_no_errors(fresh_db) -> None:  # type: ignore[no-untyped-def]
    with fresh_db.connect("supabase_admin") as admin:
        available = admin.execute(
            "select 1 from pg_available_extensions where name = 'plpgsql_check'"
        ).fetchone()
        if available is None:
            if os.environ.get("WHATSSOUND_REQUIRE_PLPGSQL_CHECK"):
                pytest.fail("plpgsql_check is required here but not installed")
            pytest.skip("plpgsql_check is not installed (it runs in the Debian PostgreSQL 15 CI job)")
        admin.execute("create extension plpgsql_check")
        functions = admin.execute(
            """
            select p.oid, p.oid::regprocedure::text, coalesce(t.tgrelid, 0), t.tgoldtable, t.tgnewtable
            from pg_proc p
            join pg_language l on l.oid = p.prolang and l.lanname = 'plpgsql'
            join pg_namespace n on n.oid = p.pronamespace
            left join lateral (
              select tgrelid, tgoldtable, tgnewtable from pg_trigger where tgfoid = p.oid limit 1
            ) t on true
            where n.nspname = any(%s)
              and (p.prorettype <> 'trigger'::regtype or t.tgrelid is not null)
            """,
            (SCHEMAS,),
        ).fetchall()
        assert functions, "no PL/pgSQL functions found: the query is wrong"
        problems = []
        for oid, name, relid, oldtable, newtable in functions:  # transition tables of statement triggers
            rows = admin.execute(
                "select level, message, lineno from plpgsql_check_function_tb(%s, %s, oldtable => %s, newtable => %s)"
                " where level = 'error'",
                (oid, relid, oldtable, newtable),
            ).fetchall()
            problems += [f"{name} line {lineno}: {message}" for _level, message, lineno in rows]
    assert problems == []
