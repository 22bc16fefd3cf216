"""service_role bypasses RLS; the shim refuses a real Supabase database and non-superusers."""

from __future__ import annotations

import psycopg
import pytest

from tests.support.gotrue import create_user
from tests.support.postgrest import Identity, request
from whatssound_svc.errors import ShimRefused
from whatssound_svc.local import shim


def test_service_role_bypasses_rls_and_authenticated_does_not(db: psycopg.Connection) -> None:
    db.execute("create table public.secrets (id int primary key)")
    db.execute("alter table public.secrets enable row level security")
    db.execute("grant select on public.secrets to authenticated, service_role")
    db.execute("insert into public.secrets values (1), (2)")
    with request(db, Identity.service_role()):
        assert db.execute("select count(*) from public.secrets").fetchone() == (2,)
    with request(db, create_user(db).identity()):
        assert db.execute("select count(*) from public.secrets").fetchone() == (0,)


def test_shim_refuses_a_database_managed_by_supabase(fresh_db) -> None:  # type: ignore[no-untyped-def]
    with fresh_db.connect("supabase_admin") as admin:
        admin.execute("create table auth.schema_migrations (version text primary key)")
        admin.execute("drop table supabase_shim.info")
        assert shim.is_supabase_managed(admin)
        with pytest.raises(ShimRefused, match="managed by Supabase"):
            shim.apply(admin)


def test_shim_refuses_a_non_superuser(fresh_db) -> None:  # type: ignore[no-untyped-def]
    with fresh_db.connect("postgres") as conn:
        with fresh_db.connect("supabase_admin") as admin:
            admin.execute("drop table supabase_shim.info")
        with pytest.raises(ShimRefused, match="superuser"):
            shim.apply(conn)


def test_shim_is_skipped_when_already_applied_and_reapplied_when_changed(
    fresh_db,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    with fresh_db.connect("supabase_admin") as admin:
        assert shim.apply(admin) is False  # the template already has this version
        for file in shim.shim_files():
            (tmp_path / file.name).write_text(file.read_text())
        (tmp_path / "99_extra.sql").write_text("select 1;")
        assert shim.apply(admin, tmp_path) is True
        assert shim.applied_hash(admin) == shim.shim_hash(tmp_path)
