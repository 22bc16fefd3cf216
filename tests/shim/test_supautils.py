"""The services' tables are owned as on Supabase, and `postgres` may do to them only what hosted
supautils allows (supautils.policy_grants, table privileges): the rest fails locally as it would
in `supabase db push`."""

from __future__ import annotations

import psycopg
import pytest

OWNERS = {
    "storage.buckets": "supabase_storage_admin",
    "storage.objects": "supabase_storage_admin",
    "realtime.messages": "supabase_realtime_admin",
}


def test_the_services_own_their_tables(db: psycopg.Connection) -> None:
    owners = dict(
        db.execute(
            "select c.oid::regclass::text, pg_get_userbyid(c.relowner) from pg_class as c"
            " where c.oid in ('storage.buckets'::regclass, 'storage.objects'::regclass, 'realtime.messages'::regclass)"
        ).fetchall()
    )
    assert owners == OWNERS


ALLOWED = [
    "create policy shim_p on storage.objects for select to authenticated using (bucket_id = 'x')",
    "create policy shim_p on realtime.messages for select to authenticated using (topic = 'x')",
    "create policy shim_p on storage.buckets for select to authenticated using (true)",
    "create trigger shim_t after insert on storage.objects for each row execute function storage.protect_delete()",
    "insert into storage.buckets (id, name) values ('shim', 'shim')",
]


@pytest.mark.parametrize("statement", ALLOWED)
def test_postgres_manages_policies_and_storage_triggers(db: psycopg.Connection, statement: str) -> None:
    db.execute(statement)


def test_policies_may_be_altered_and_dropped(db: psycopg.Connection) -> None:
    db.execute("create policy shim_p on storage.objects for select to authenticated using (bucket_id = 'x')")
    db.execute("alter policy shim_p on storage.objects using (bucket_id = 'y')")
    db.execute("drop policy shim_p on storage.objects")


REFUSED = [
    "comment on table storage.objects is 'x'",
    "comment on column storage.objects.name is 'x'",
    "comment on table realtime.messages is 'x'",
    "alter table storage.objects add column shim_x integer",
    "alter table storage.buckets enable row level security",
    "alter table realtime.messages add column shim_x integer",
    "create index shim_i on storage.objects (created_at)",
    "create trigger shim_t after insert on realtime.messages for each row execute function storage.protect_delete()",
    "drop trigger protect_objects_delete on storage.objects",
    "drop index storage.bname",
    "drop function storage.filename(text) cascade",
]


@pytest.mark.parametrize("statement", REFUSED)
def test_what_only_an_owner_may_do_is_refused(db: psycopg.Connection, statement: str) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="must be owner"):
        db.execute(statement)


def test_renaming_or_commenting_a_policy_is_refused(db: psycopg.Connection) -> None:
    db.execute("create policy shim_p on storage.objects for select to authenticated using (bucket_id = 'x')")
    db.execute("savepoint s")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        db.execute("alter policy shim_p on storage.objects rename to shim_q")
    db.execute("rollback to savepoint s")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        db.execute("comment on policy shim_p on storage.objects is 'x'")


def test_a_cascade_may_drop_our_own_trigger_on_their_table(db: psycopg.Connection) -> None:
    db.execute(
        "create function public.shim_tg() returns trigger language plpgsql as $$ begin return null; end $$"
    )
    db.execute(
        "create trigger shim_t after insert on storage.objects for each row execute function public.shim_tg()"
    )
    db.execute("drop function public.shim_tg() cascade")
    assert db.execute("select count(*) from pg_trigger where tgname = 'shim_t'").fetchone() == (0,)
