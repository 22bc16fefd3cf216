"""Every UPDATE and DELETE in our functions has a WHERE clause, as hosted Supabase requires.

Supabase preloads safeupdate for `authenticator` (session_preload_libraries), so every statement
an API request runs, in functions and triggers too, is refused with 21000 "UPDATE requires a
WHERE clause" when it has none (eradman/pg-safeupdate: a post_parse_analyze hook checking
`jointree->quals`, CTEs included). Vanilla PostgreSQL has no such module and none can be built
here, so the rule is checked on the migrated functions' bodies, with PostgreSQL's own lexer
(pglast): an UPDATE or DELETE must reach a WHERE at its own nesting depth before its statement
ends. It applies to every function, wherever it runs: a function the service calls today may be
called by an RPC tomorrow, and `where <key>` costs nothing.
"""

from __future__ import annotations

import psycopg
from pglast import parser

SCHEMAS = ["public", "hidden", "private"]
#: Keywords after which UPDATE or DELETE is not a statement (FOR UPDATE, ON CONFLICT DO UPDATE,
#: ON DELETE CASCADE, BEFORE UPDATE OR DELETE, FOR NO KEY UPDATE ...).
NOT_A_STATEMENT_AFTER = {"FOR", "DO", "OR", "BEFORE", "AFTER", "OF", "KEY", "ON", "INSTEAD", "SHARE", "NO"}


def unqualified_writes(source: str) -> list[str]:
    """The UPDATE and DELETE statements in ``source`` (SQL or PL/pgSQL) that have no WHERE."""
    tokens = [(t.name, source[t.start : t.end + 1]) for t in parser.scan(source)]
    found = []
    for i, (name, _text) in enumerate(tokens):
        if name not in ("UPDATE", "DELETE_P") or (i and tokens[i - 1][0] in NOT_A_STATEMENT_AFTER):
            continue
        depth = 0
        for later, text in tokens[i + 1 :]:
            depth += (text == "(") - (text == ")")
            if depth < 0 or (text == ";" and depth == 0):
                found.append(" ".join(t for _, t in tokens[i : i + 8]))
                break
            if later == "WHERE" and depth == 0:
                break
        else:
            found.append(" ".join(t for _, t in tokens[i : i + 8]))
    return found


def test_the_check_sees_what_safeupdate_refuses() -> None:
    assert unqualified_writes("update t set x = 1") == ["update t set x = 1"]
    assert unqualified_writes("begin delete from t; end") == ["delete from t ; end"]
    assert unqualified_writes("with d as (delete from t returning *) select * from d") != []
    assert unqualified_writes("update t set x = (select y from u where u.id = 1)") != []
    assert unqualified_writes("update t set x = 1 where t.id = 2; delete from t where true") == []
    assert unqualified_writes("select * from t for update; select * from t for no key update") == []
    assert unqualified_writes("insert into t values (1) on conflict (id) do update set x = 2") == []


def test_every_update_and_delete_names_its_rows(db: psycopg.Connection) -> None:
    functions = db.execute(
        "select p.oid::regprocedure::text, p.prosrc from pg_proc as p"
        " join pg_namespace as n on n.oid = p.pronamespace join pg_language as l on l.oid = p.prolang"
        " where n.nspname = any(%s) and l.lanname in ('plpgsql', 'sql')",
        (SCHEMAS,),
    ).fetchall()
    assert len(functions) > 200
    offenders = {name: found for name, source in functions if (found := unqualified_writes(source))}
    assert offenders == {}, "safeupdate would refuse these through the API (add a WHERE)"
