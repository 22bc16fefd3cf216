"""sql/schema/ is exactly what a fresh migration gives (regenerate with `whatssound db dump`)."""

from __future__ import annotations

import difflib

import pytest

from tests.conftest import FreshDb
from whatssound_svc import schemadump
from whatssound_svc.local.pginstall import PgBinaries
from whatssound_svc.settings import LocalPgSettings

STALE = "sql/schema/ is stale: run `whatssound db dump` against a freshly migrated database (make db-reset)"


def test_the_committed_settings_are_what_the_migrations_leave(fresh_db: FreshDb) -> None:
    with fresh_db.connect() as conn:
        expected = schemadump.render_settings(conn)
    assert schemadump.SETTINGS_FILE.read_text() == expected, STALE


def test_the_committed_schema_is_what_the_migrations_leave(fresh_db: FreshDb) -> None:
    with fresh_db.connect() as conn:
        major = int(conn.execute("show server_version_num").fetchone()[0]) // 10000  # type: ignore[index]
    if major != schemadump.DUMP_MAJOR:
        pytest.skip(f"sql/schema/ is dumped by PostgreSQL {schemadump.DUMP_MAJOR}'s pg_dump; this is {major}")
    expected = schemadump.render(fresh_db.url(), PgBinaries.resolve(LocalPgSettings().bindir).tool("pg_dump"))
    committed = {
        str(p.relative_to(schemadump.SCHEMA_DIR)): p.read_text()
        for schema in schemadump.SCHEMAS
        for p in sorted((schemadump.SCHEMA_DIR / schema).rglob("*.sql"))
    } | {"schemas.sql": (schemadump.SCHEMA_DIR / "schemas.sql").read_text()}
    assert sorted(committed) == sorted(expected), STALE
    stale = [path for path, text in expected.items() if committed[path] != text]
    first = (
        "".join(
            difflib.unified_diff(
                committed[stale[0]].splitlines(True),
                expected[stale[0]].splitlines(True),
                "committed",
                "migrated",
            )
        )
        if stale
        else ""
    )
    assert stale == [], f"{STALE}: {stale[:5]}\n{first[:4000]}"


def test_every_table_and_function_has_its_own_file(fresh_db: FreshDb) -> None:
    with fresh_db.connect() as conn:
        tables = conn.execute(
            "select n.nspname || '/tables/' || c.relname || '.sql' from pg_class as c"
            " join pg_namespace as n on n.oid = c.relnamespace"
            " where n.nspname = any(%s) and c.relkind in ('r', 'p') and not c.relispartition",
            (list(schemadump.SCHEMAS),),
        ).fetchall()
    files = {str(p.relative_to(schemadump.SCHEMA_DIR)) for p in schemadump.SCHEMA_DIR.rglob("*.sql")}
    assert {t for (t,) in tables} <= files


def test_a_policys_roles_are_dumped_in_one_order_whatever_the_catalogs() -> None:
    # pg_dump lists a policy's roles in pg_authid's heap order, which an ALTER ROLE anywhere in
    # the cluster changes (seen: the full suite dumped "TO authenticated, anon").
    policy = (
        '-- Name: t p; Type: POLICY; Schema: public; Owner: -\n--\n\nCREATE POLICY "Read it, TO all" ON '
        "public.t AS RESTRICTIVE FOR SELECT TO service_role, authenticated, anon USING (true);\n"
    )
    [(_, _, _, body)] = schemadump._entries(policy)
    assert body == (
        'CREATE POLICY "Read it, TO all" ON public.t AS RESTRICTIVE FOR SELECT '
        "TO anon, authenticated, service_role USING (true);"
    )
