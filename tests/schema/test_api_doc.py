"""docs/api.md is exactly what the database documents (regenerate with `whatssound docs api`)."""

from __future__ import annotations

import psycopg

from whatssound_svc import apidocs, paths


def test_api_reference_is_current(fresh_db) -> None:  # type: ignore[no-untyped-def]
    with fresh_db.connect() as conn:
        expected = apidocs.render(conn)
    current = (paths.REPO_ROOT / "docs" / "api.md").read_text()
    assert current == expected, "docs/api.md is stale: run `whatssound docs api` against a migrated database"


def test_every_public_rpc_is_in_the_reference(db: psycopg.Connection) -> None:
    text = (paths.REPO_ROOT / "docs" / "api.md").read_text()
    names = [r[0] for r in db.execute(
        "select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public'"
    ).fetchall()]  # fmt: skip
    assert [n for n in names if f"### `{n}`" not in text] == []
