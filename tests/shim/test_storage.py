"""Schema `storage`: bucket/object metadata, path helpers and delete protection."""

from __future__ import annotations

import psycopg
import pytest


@pytest.mark.parametrize(
    ("name", "folders", "filename", "extension"),
    [
        ("a/b/c.txt", ["a", "b"], "c.txt", "txt"),
        ("file.txt", [], "file.txt", "txt"),
        ("README", [], "README", "README"),
        ("/lead.txt", [""], "lead.txt", "txt"),
        ("a/b/", ["a", "b"], "", ""),
        (".bashrc", [], ".bashrc", "bashrc"),
        ("file.", [], "file.", ""),
        ("archive.tar.gz", [], "archive.tar.gz", "gz"),
        ("", None, None, None),
        (None, None, None, None),
    ],
)
def test_path_helpers_match_supabase_storage(
    db: psycopg.Connection, name: str | None, folders: list[str] | None, filename: str | None,
    extension: str | None,
) -> None:  # fmt: skip
    row = db.execute(
        "select storage.foldername(%(n)s), storage.filename(%(n)s), storage.extension(%(n)s)",
        {"n": name},
    ).fetchone()
    assert row == (folders, filename, extension)


def test_objects_get_path_tokens_and_updated_at(db: psycopg.Connection) -> None:
    db.execute("insert into storage.buckets (id, name) values ('b1', 'b1')")
    db.execute(
        "insert into storage.objects (bucket_id, name, updated_at)"
        " values ('b1', 'u1/x.mp3', now() - interval '1 day')"
    )
    db.execute("update storage.objects set metadata = '{}' where name = 'u1/x.mp3'")
    row = db.execute(
        "select path_tokens, updated_at > now() - interval '1 minute' from storage.objects"
        " where name = 'u1/x.mp3'"
    ).fetchone()
    assert row == (["u1", "x.mp3"], True)


def test_direct_delete_is_refused_unless_the_storage_api_allows_it(db: psycopg.Connection) -> None:
    db.execute("insert into storage.buckets (id, name) values ('b2', 'b2')")
    with (
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="Use the Storage API"),
        db.transaction(),
    ):
        db.execute("delete from storage.buckets where id = 'b2'")
    db.execute("select set_config('storage.allow_delete_query', 'true', true)")
    db.execute("delete from storage.buckets where id = 'b2'")
    assert db.execute("select count(*) from storage.buckets where id = 'b2'").fetchone() == (0,)


def test_storage_tables_have_rls_and_api_role_grants(db: psycopg.Connection) -> None:
    for table in ("storage.buckets", "storage.objects"):
        assert db.execute(
            "select relrowsecurity from pg_class where oid = %s::regclass", (table,)
        ).fetchone() == (True,)
        for role in ("anon", "authenticated", "service_role"):
            assert db.execute(
                "select has_table_privilege(%s, %s, 'SELECT, INSERT, UPDATE, DELETE')",
                (role, table),
            ).fetchone() == (True,)


def test_bucket_names_longer_than_100_characters_are_refused(db: psycopg.Connection) -> None:
    with pytest.raises(psycopg.errors.RaiseException, match="too long"):
        db.execute("insert into storage.buckets (id, name) values ('long', repeat('x', 101))")
