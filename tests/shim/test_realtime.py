"""Schema `realtime`: the Broadcast-from-Database table, its functions and their behaviour."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest

from tests.support.gotrue import create_user
from tests.support.postgrest import Identity, request
from tests.support.realtime import can_read, can_write


def _messages(db: psycopg.Connection, topic: str) -> list[tuple]:
    return db.execute(
        "select event, payload, private, extension from realtime.messages where topic = %s",
        (topic,),
    ).fetchall()


def test_messages_is_partitioned_by_inserted_at_with_supabase_keys(db: psycopg.Connection) -> None:
    row = db.execute(
        "select p.partstrat, a.attname from pg_partitioned_table p"
        " join pg_attribute a on a.attrelid = p.partrelid and a.attnum = p.partattrs[0]"
        " where p.partrelid = 'realtime.messages'::regclass"
    ).fetchone()
    assert row == ("r", "inserted_at")
    pk = db.execute(
        "select pg_get_constraintdef(oid) from pg_constraint"
        " where conrelid = 'realtime.messages'::regclass and contype = 'p'"
    ).fetchone()
    assert pk == ("PRIMARY KEY (id, inserted_at)",)
    assert db.execute(
        "select relrowsecurity from pg_class where oid = 'realtime.messages'::regclass"
    ).fetchone() == (True,)


def test_daily_partitions_exist_from_yesterday_to_a_week_ahead_and_no_default(db: psycopg.Connection) -> None:
    names = {
        r[0]
        for r in db.execute(
            "select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid"
            " where i.inhparent = 'realtime.messages'::regclass"
        ).fetchall()
    }
    today = dt.datetime.now(dt.UTC).date()
    assert names == {f"messages_{(today + dt.timedelta(days=offset)):%Y_%m_%d}" for offset in range(-1, 8)}


def test_a_row_outside_the_daily_partitions_is_lost_as_on_supabase(db: psycopg.Connection) -> None:
    with pytest.raises(psycopg.errors.CheckViolation, match="no partition"), db.transaction():
        db.execute(
            "insert into realtime.messages (topic, extension, inserted_at)"
            " values ('far:future', 'broadcast', now() + interval '30 days')"
        )
    assert db.execute("select count(*) from realtime.messages where topic = 'far:future'").fetchone() == (0,)


@pytest.mark.parametrize("role", ["anon", "authenticated", "service_role"])
def test_api_roles_may_select_insert_update_but_not_delete(db: psycopg.Connection, role: str) -> None:
    privileges = db.execute(
        "select has_table_privilege(%(r)s, 'realtime.messages', 'SELECT'),"
        " has_table_privilege(%(r)s, 'realtime.messages', 'INSERT'),"
        " has_table_privilege(%(r)s, 'realtime.messages', 'UPDATE'),"
        " has_table_privilege(%(r)s, 'realtime.messages', 'DELETE')",
        {"r": role},
    ).fetchone()
    assert privileges == (True, True, True, False)


def test_send_as_service_role_inserts_a_private_broadcast_with_an_id(
    db: psycopg.Connection,
) -> None:
    with request(db, Identity.service_role()):
        db.execute("select realtime.send('{\"text\": \"hi\"}', 'chat', 'room:1')")
        assert db.execute("select realtime.topic()").fetchone() == ("room:1",)
    [(event, payload, private, extension)] = _messages(db, "room:1")
    assert (event, private, extension) == ("chat", True, "broadcast")
    assert payload["text"] == "hi"
    assert len(payload["id"]) == 36  # a uuid was added because the payload had no id


def test_send_keeps_an_existing_payload_id_and_can_be_public(db: psycopg.Connection) -> None:
    with request(db, Identity.service_role()):
        db.execute("select realtime.send('{\"id\": 7}', 'e', 'room:2', false)")
    [(_, payload, private, _)] = _messages(db, "room:2")
    assert payload == {"id": 7}
    assert private is False


def test_send_on_a_topic_the_caller_may_not_write_warns_and_sends_nothing(
    db: psycopg.Connection,
) -> None:
    user = create_user(db)
    notices: list[str] = []
    db.add_notice_handler(lambda diag: notices.append(diag.message_primary or ""))
    with request(db, user.identity()):
        db.execute("select realtime.send('{}', 'chat', 'room:forbidden')")  # no INSERT policy
    assert any(n.startswith("WarnSendingBroadcastMessage:") for n in notices)
    assert _messages(db, "room:forbidden") == []


def test_send_is_allowed_by_an_insert_policy_on_the_topic(db: psycopg.Connection) -> None:
    db.execute(
        'create policy "Users may send on open topics" on realtime.messages for insert'
        " to authenticated with check ((select realtime.topic()) like 'open:%%')"
    )
    user = create_user(db)
    with request(db, user.identity()):
        db.execute("select realtime.send('{}', 'chat', 'open:1')")
        db.execute("select realtime.send('{}', 'chat', 'closed:1')")
    assert len(_messages(db, "open:1")) == 1
    assert _messages(db, "closed:1") == []


def test_broadcast_changes_sends_the_documented_row_payload(db: psycopg.Connection) -> None:
    db.execute("create table public.songs (id int primary key, title text)")
    db.execute(
        """
        create function public.tg_songs_broadcast() returns trigger language plpgsql
        security definer set search_path = '' as $$
        begin
          perform realtime.broadcast_changes('songs', tg_op, tg_op, tg_table_name,
            tg_table_schema, new, old);
          return null;
        end $$
        """
    )
    db.execute(
        "create trigger songs_broadcast after insert or update or delete on public.songs"
        " for each row execute function public.tg_songs_broadcast()"
    )
    db.execute("insert into public.songs values (1, 'a')")
    db.execute("update public.songs set title = 'b'")
    db.execute("delete from public.songs")
    rows = db.execute(
        "select event, payload from realtime.messages where topic = 'songs' order by inserted_at, event"
    ).fetchall()
    by_event = {event: payload for event, payload in rows}
    assert set(by_event) == {"INSERT", "UPDATE", "DELETE"}
    assert by_event["INSERT"]["record"] == {"id": 1, "title": "a"}
    assert by_event["INSERT"]["old_record"] is None
    assert by_event["UPDATE"]["old_record"] == {"id": 1, "title": "a"}
    assert by_event["UPDATE"]["record"] == {"id": 1, "title": "b"}
    assert by_event["DELETE"]["record"] is None
    assert {k for k in by_event["DELETE"] if k != "id"} == {
        "old_record",
        "record",
        "operation",
        "table",
        "schema",
    }
    assert by_event["DELETE"]["table"] == "songs"
    assert by_event["DELETE"]["schema"] == "public"


def test_broadcast_changes_refuses_statement_level_use(db: psycopg.Connection) -> None:
    with pytest.raises(psycopg.errors.RaiseException, match="Failed to process the row"):
        db.execute(
            "select realtime.broadcast_changes('t', 'e', 'INSERT', 'x', 'public', null::record,"
            " null::record, 'STATEMENT')"
        )


def test_supabase_realtime_publication_exists_empty_and_owned_by_postgres(
    db: psycopg.Connection,
) -> None:
    row = db.execute(
        "select puballtables, pubowner::regrole::text, pubinsert and pubupdate and pubdelete"
        " from pg_publication where pubname = 'supabase_realtime'"
    ).fetchone()
    assert row == (False, "postgres", True)
    assert db.execute(
        "select count(*) from pg_publication_tables where pubname = 'supabase_realtime'"
    ).fetchone() == (0,)
    db.execute("create table public.published (id int primary key)")
    db.execute("alter publication supabase_realtime add table public.published")


def test_realtime_join_checks_follow_the_select_and_insert_policies(db: psycopg.Connection) -> None:
    db.execute(
        'create policy "Users may read their own topic" on realtime.messages for select'
        " to authenticated using ((select realtime.topic()) = 'user:' || (select auth.uid())"
        " and realtime.messages.extension = 'broadcast')"
    )
    alice, bob = create_user(db), create_user(db)
    topic = f"user:{alice.id}"
    assert can_read(db, alice.identity(), topic) == {"broadcast": True, "presence": False}
    assert can_read(db, bob.identity(), topic) == {"broadcast": False, "presence": False}
    assert can_read(db, Identity.anon(), topic) == {"broadcast": False, "presence": False}
    assert can_write(db, alice.identity(), topic) == {"broadcast": False, "presence": False}
    # The checks leave nothing behind.
    assert db.execute("select count(*) from realtime.messages where topic = %s", (topic,)).fetchone() == (0,)
