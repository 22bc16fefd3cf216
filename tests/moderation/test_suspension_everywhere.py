"""A suspended account can do nothing from its next request, whatever its token (issue 17 §1).

The user keeps a valid access token (jwt_expiry is up to an hour) after `private.platform_ban`
(what `whatssound users ban` runs). Every PostgREST request refuses them with SUSPD through the
pre-request hook, so the refusal is proved from the catalog: every RPC the app can call and every
table or view it can read or write, including any added later. Storage and Realtime, which do not
run the hook, refuse them by restrictive policies, also checked from the catalog.
"""

from __future__ import annotations

import uuid
from typing import Any

import psycopg
import pytest
from psycopg import sql

from tests.media.test_storage_policies import refused as storage_refuses
from tests.support.api import Api, answer_to, make_dj, make_session, raises_code
from tests.support.gotrue import AuthUser, create_user
from tests.support.postgrest import PostgrestError, request, rpc
from tests.support.realtime import can_read, can_write
from tests.support.rooms import LiveRoom

#: Every function in public the app may call: executable by authenticated, not an extension's.
_RPCS = """
select p.proname, coalesce(p.proargnames[1:p.pronargs], '{}')
from pg_proc as p join pg_namespace as n on n.oid = p.pronamespace
where n.nspname = 'public' and p.prokind = 'f' and p.prorettype <> 'trigger'::regtype
  and has_function_privilege('authenticated', p.oid, 'execute')
  and not exists (select 1 from pg_depend as d where d.objid = p.oid and d.deptype = 'e')
order by 1, 2
"""
#: Every table or view in public and what the app may do with it.
_RELATIONS = """
select c.relname, a.attname, privilege
from pg_class as c join pg_namespace as n on n.oid = c.relnamespace
cross join unnest(array['select', 'insert', 'update', 'delete']) as privilege
join lateral (select attname from pg_attribute where attrelid = c.oid and attnum > 0 and not attisdropped
              order by attnum limit 1) as a on true
where n.nspname = 'public' and c.relkind in ('r', 'v', 'p')
  and has_table_privilege('authenticated', c.oid, privilege)
order by 1, 3
"""


def _statement(table: str, column: str, privilege: str) -> sql.Composed:
    t, c = sql.Identifier("public", table), sql.Identifier(column)
    return {
        "select": sql.SQL("select from {} limit 0").format(t),
        "insert": sql.SQL("insert into {} default values").format(t),
        "update": sql.SQL("update {} set {} = {} where false").format(t, c, c),
        "delete": sql.SQL("delete from {} where false").format(t),
    }[privilege]


def _ban(db: psycopg.Connection, user: AuthUser) -> None:
    assert db.execute("select private.platform_ban(%s, 'test: spam network')", (user.id,)).fetchone() == (
        True,
    )


@pytest.fixture
def room(db: psycopg.Connection) -> LiveRoom:
    api = Api(db)
    dj = make_dj(db)
    return LiveRoom(api, dj, make_session(api, dj))


def test_every_rpc_refuses_a_suspended_caller(db: psycopg.Connection, room: LiveRoom) -> None:
    troll = room.member()
    rpcs = db.execute(_RPCS).fetchall()
    assert len(rpcs) > 50  # the whole API, not an empty catalog query
    _ban(db, troll)
    allowed = []
    for name, args in rpcs:
        try:
            rpc(db, troll.identity(), name, dict.fromkeys(args))
            allowed.append(name)
        except PostgrestError as exc:
            if exc.code != "SUSPD":
                allowed.append(f"{name}: {exc.code}")
    assert allowed == []


def test_every_table_and_view_refuses_a_suspended_caller(db: psycopg.Connection, room: LiveRoom) -> None:
    troll = room.member()
    relations = db.execute(_RELATIONS).fetchall()
    assert {"insert", "update", "delete"} <= {p for _, _, p in relations}
    for table, column, _ in relations:  # before the ban: every read goes through
        with request(db, troll.identity(), method="GET", path=f"/{table}") as conn:
            conn.execute(_statement(table, column, "select"))
    _ban(db, troll)
    allowed = []
    for table, column, privilege in relations:
        try:
            with request(db, troll.identity(), path=f"/{table}") as conn:
                conn.execute(_statement(table, column, privilege))
            allowed.append(f"{privilege} {table}")
        except psycopg.Error as exc:
            answer = answer_to(exc)
            if (answer.code, answer.status) != ("SUSPD", 403):
                allowed.append(f"{privilege} {table}: {answer.code} {answer.status}")
    assert allowed == []


def test_the_reproduced_writes_are_refused_and_lifting_restores_them(
    db: psycopg.Connection, room: LiveRoom
) -> None:
    troll = room.member()
    room.say(troll, "before")
    _ban(db, troll)
    chat = f"insert into public.chat_messages (id, session_id, body) values ('{uuid.uuid4()}', '{room.id}', 'direct')"
    profile = "update public.profiles set display_name = 'x' where id = auth.uid()"
    attempts: dict[str, Any] = {
        "send_message": lambda: room.say(troll, "after"),
        "a direct chat insert": lambda: _direct(db, troll, chat),
        "a profile update": lambda: _direct(db, troll, profile),
        "a follow": lambda: room.api(troll, "follow", p_user_id=str(room.dj.id)),
    }
    for attempt in attempts.values():
        with raises_code("SUSPD"):
            attempt()
    assert db.execute("select private.platform_unban(%s)", (troll.id,)).fetchone() == (True,)
    room.api(troll, "join_session", p_session_id=room.id)
    assert room.say(troll, "back")["body"] == "back"


def _direct(db: psycopg.Connection, who: AuthUser, statement: str) -> None:
    """A direct table write through PostgREST (supabase.from(...)), its error as supabase-js sees it."""
    try:
        with request(db, who.identity()) as conn:
            conn.execute(statement)  # type: ignore[arg-type]
    except psycopg.Error as exc:
        raise PostgrestError(exc, "authenticated") from exc


def test_storage_and_realtime_refuse_a_suspended_caller(db: psycopg.Connection, room: LiveRoom) -> None:
    troll = room.member()
    topics = (room.topic, f"user:{troll.id}")
    assert all(can_read(db, troll.identity(), t)["broadcast"] for t in topics)
    assert can_write(db, troll.identity(), room.topic)["presence"]
    assert not storage_refuses(db, troll, "avatars", f"{troll.id}/before.png")
    _ban(db, troll)
    room.member()  # someone else still joins
    assert storage_refuses(db, troll, "avatars", f"{troll.id}/after.png")
    for topic in topics:
        assert can_read(db, troll.identity(), topic) == {"broadcast": False, "presence": False}
        assert can_write(db, troll.identity(), topic) == {"broadcast": False, "presence": False}


def test_every_storage_and_realtime_write_path_has_the_suspension_policy(db: psycopg.Connection) -> None:
    rows = db.execute(
        "select schemaname, cmd from pg_policies where permissive = 'RESTRICTIVE' and 'authenticated' = any(roles)"
        " and coalesce(qual, with_check) like '%caller_suspended()%' and tablename in ('objects', 'messages')"
    ).fetchall()
    assert sorted(rows) == [("realtime", "INSERT"), ("realtime", "SELECT"),
                            ("storage", "DELETE"), ("storage", "INSERT"), ("storage", "UPDATE")]  # fmt: skip


def test_a_suspended_djs_sessions_end(db: psycopg.Connection, room: LiveRoom) -> None:
    room.member()  # the room empties with the DJ
    later = make_session(room.api, room.dj, live=False, p_title="Next week")
    _ban(db, room.dj)
    statuses = db.execute(
        "select status from public.dj_sessions where id in (%s, %s)", (room.id, later["id"])
    ).fetchall()
    assert statuses == [("ended",), ("ended",)]
    assert db.execute(
        "select count(*) from public.session_members where session_id = %s and left_at is null", (room.id,)
    ).fetchone() == (0,)


def test_an_active_user_is_not_refused(db: psycopg.Connection, room: LiveRoom) -> None:
    user = create_user(db)
    assert rpc(db, user.identity(), "join_session", {"p_session_id": room.id})["user_id"] == str(user.id)
