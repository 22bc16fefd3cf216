"""Seed files run once and share the Supabase CLI's `seed_files` ledger."""

from __future__ import annotations

import hashlib
from pathlib import Path

import psycopg
import pytest

from whatssound_svc import paths, seeds


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "config.toml").write_text(
        '[db.seed]\nenabled = true\nsql_paths = ["./seed.sql", "./seeds/*.sql"]\n'
    )
    (tmp_path / "seed.sql").write_text("create table seeded (n int);\ninsert into seeded values (1);\n")
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "b.sql").write_text("insert into seeded values (3);")
    (tmp_path / "seeds" / "a.sql").write_text("insert into seeded values (2);")
    return tmp_path


def test_seed_files_follow_config_order_then_name_order(project: Path) -> None:
    assert [p for p, _ in seeds.seed_files(project)] == [
        f"{project.name}/seed.sql", f"{project.name}/seeds/a.sql", f"{project.name}/seeds/b.sql"
    ]  # fmt: skip


def test_seeds_run_once_and_a_changed_seed_only_updates_its_hash(fresh_db, project: Path) -> None:  # type: ignore[no-untyped-def]
    with fresh_db.connect("postgres") as conn:
        assert len(seeds.apply_seeds(conn, project, report=lambda _m: None)) == 3
        assert conn.execute("select array_agg(n order by n) from seeded").fetchone() == ([1, 2, 3],)
        assert seeds.apply_seeds(conn, project, report=lambda _m: None) == []
        (project / "seeds" / "a.sql").write_text("insert into seeded values (20);")
        messages: list[str] = []
        assert seeds.apply_seeds(conn, project, report=messages.append) == []
        assert "Updating seed hash" in messages[0]
        stored = conn.execute(
            "select hash from supabase_migrations.seed_files where path = %s",
            (f"{project.name}/seeds/a.sql",),
        ).fetchone()
        assert stored == (hashlib.sha256(b"insert into seeded values (20);").hexdigest(),)
        assert conn.execute("select count(*) from seeded").fetchone() == (3,)


def test_the_repository_seed_creates_phone_users_with_test_numbers(fresh_db) -> None:  # type: ignore[no-untyped-def]
    with fresh_db.connect("postgres") as conn:
        seeds.apply_seeds(conn, paths.SUPABASE_DIR, report=lambda _m: None)
        rows = conn.execute(
            "select u.phone, i.provider, u.phone_confirmed_at is not null from auth.users u"
            " join auth.identities i on i.user_id = u.id"
            " where u.raw_app_meta_data ->> 'demo' = 'true' order by u.phone"
        ).fetchall()
    assert [r[0] for r in rows] == ["15555550100", "15555550101", "15555550102", "15555550103"]
    assert all(r[1:] == ("phone", True) for r in rows)


def test_seeding_an_unknown_table_fails_without_recording(fresh_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "config.toml").write_text('[db.seed]\nsql_paths = ["./seed.sql"]\n')
    (tmp_path / "seed.sql").write_text("insert into missing_table values (1);")
    with fresh_db.connect("postgres") as conn:
        with pytest.raises(psycopg.errors.UndefinedTable):
            seeds.apply_seeds(conn, tmp_path, report=lambda _m: None)
        assert conn.execute(
            "select count(*) from supabase_migrations.seed_files where path like %s",
            (f"{tmp_path.name}/%",),
        ).fetchone() == (0,)
