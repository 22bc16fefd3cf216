"""Schema-wide rules every migration must keep (they fail on the first table or function that breaks one)."""

from __future__ import annotations

import psycopg

OUR_SCHEMAS = ("public", "hidden", "private")
#: What the anon key may call: the directory only (everything else needs a signed-in user).
ANON_RPCS = {"session_directory"}


def _rows(db: psycopg.Connection, query: str) -> list[tuple]:
    return db.execute(query, {"schemas": list(OUR_SCHEMAS)}).fetchall()


def test_every_table_has_rls_and_exposed_ones_have_policies(db: psycopg.Connection) -> None:
    no_rls = _rows(
        db,
        """
        select c.oid::regclass::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = any(%(schemas)s) and c.relkind in ('r', 'p') and not c.relrowsecurity""",
    )
    assert no_rls == []
    no_policy = _rows(
        db,
        """
        select c.oid::regclass::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p')
          and not exists (select 1 from pg_policy p where p.polrelid = c.oid)""",
    )
    assert no_policy == []


def test_security_definer_functions_are_hidden_and_pin_search_path(db: psycopg.Connection) -> None:
    bad = _rows(
        db,
        """
        select p.oid::regprocedure::text, n.nspname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = any(%(schemas)s) and p.prosecdef
          and (n.nspname = 'public' or not exists (
            select 1 from unnest(coalesce(p.proconfig, '{}')) as c where c like 'search_path=%%'))""",
    )
    assert bad == []


def test_every_function_pins_search_path(db: psycopg.Connection) -> None:
    mutable = _rows(
        db,
        """
        select p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = any(%(schemas)s)
          and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) as c where c like 'search_path=%%')""",
    )
    assert mutable == []


def test_no_function_is_executable_by_public(db: psycopg.Connection) -> None:
    granted = _rows(
        db,
        """
        select p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = any(%(schemas)s) and has_function_privilege('public', p.oid, 'EXECUTE')
          and exists (select 1 from aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a where a.grantee = 0)""",
    )
    assert granted == []


def test_the_anon_key_can_call_only_the_allowed_rpcs(db: psycopg.Connection) -> None:
    callable_by_anon = {
        r[0]
        for r in _rows(
            db,
            """
        select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'public' and has_function_privilege('anon', p.oid, 'EXECUTE')""",
        )
    }
    assert callable_by_anon == ANON_RPCS


def test_everything_is_commented(db: psycopg.Connection) -> None:
    missing = _rows(
        db,
        """
        select 'table ' || c.oid::regclass from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = any(%(schemas)s) and c.relkind in ('r', 'p') and obj_description(c.oid, 'pg_class') is null
        union all
        select 'column ' || c.oid::regclass || '.' || a.attname from pg_attribute a
        join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = any(%(schemas)s) and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped
          and col_description(c.oid, a.attnum) is null
        union all
        select 'function ' || p.oid::regprocedure from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = any(%(schemas)s) and obj_description(p.oid, 'pg_proc') is null
        union all
        select 'type ' || t.oid::regtype from pg_type t join pg_namespace n on n.oid = t.typnamespace
        where n.nspname = 'public' and t.typtype in ('e', 'c')
          and not exists (select 1 from pg_class c where c.oid = t.typrelid and c.relkind <> 'c')
          and obj_description(t.oid, 'pg_type') is null""",
    )
    assert missing == []


def test_public_rpcs_document_errors_or_examples(db: psycopg.Connection) -> None:
    undocumented = _rows(
        db,
        """
        select p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'public' and coalesce(obj_description(p.oid, 'pg_proc'), '') not like '%%Example: %%'""",
    )
    assert undocumented == []


def test_every_foreign_key_has_an_index(db: psycopg.Connection) -> None:
    unindexed = _rows(
        db,
        """
        select c.conrelid::regclass || ' ' || c.conname from pg_constraint c
        join pg_namespace n on n.oid = c.connamespace
        where c.contype = 'f' and n.nspname = any(%(schemas)s)
          and not exists (
            select 1 from pg_index i where i.indrelid = c.conrelid
              and (i.indkey::int2[])[0:cardinality(c.conkey) - 1] = c.conkey)""",
    )
    assert unindexed == []


def test_policies_call_auth_functions_once_per_statement(db: psycopg.Connection) -> None:
    db.execute("select set_config('search_path', 'pg_catalog', true)")  # deparse with qualified names
    per_row = _rows(
        db,
        """
        select tablename || ' ' || policyname from pg_policies
        where schemaname = any(%(schemas)s)
          and (coalesce(qual, '') || coalesce(with_check, '')) ~ 'auth\\.(uid|jwt|role)\\(\\)'
          and (coalesce(qual, '') || coalesce(with_check, '')) !~ '\\(\\s*SELECT auth\\.(uid|jwt|role)\\(\\)'""",
    )
    assert per_row == []


def test_api_roles_have_no_usage_on_private(db: psycopg.Connection) -> None:
    for role in ("anon", "authenticated", "service_role"):
        assert db.execute("select has_schema_privilege(%s, 'private', 'USAGE')", (role,)).fetchone() == (
            False,
        )
