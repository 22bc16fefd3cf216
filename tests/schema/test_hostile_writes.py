"""Every direct table write the app may make answers only registered SQLSTATEs (issue 17 §4).

docs/api.md lets the app insert and update some columns directly (supabase.from(t).insert /
update). The writable columns are enumerated from the catalog (what authenticated may insert or
update in public), so a grant added later is covered. Each write runs as PostgREST runs it (one
request transaction as the caller, the JSON body cast by json_populate_record into the table's
row type) with one column hostile (tests/schema/hostile.py) and the others plausible, on rows
the caller has: the error must be registered and name no internals.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from psycopg import sql

from tests.schema.hostile import CAST_CODES, hostile, plausible, shown, verdict
from tests.support.api import Api, answer_to, make_dj, make_session
from tests.support.gotrue import AuthUser, create_user
from tests.support.postgrest import request

_WRITABLE = """
select c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
       coalesce((select e.enumlabel from pg_enum as e where e.enumtypid = a.atttypid
                 order by e.enumsortorder limit 1), ''),
       has_column_privilege('authenticated', c.oid, a.attnum, 'insert'),
       has_column_privilege('authenticated', c.oid, a.attnum, 'update')
from pg_class as c join pg_namespace as n on n.oid = c.relnamespace
join pg_attribute as a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
where n.nspname = 'public' and c.relkind = 'r'
  and (has_column_privilege('authenticated', c.oid, a.attnum, 'insert')
       or has_column_privilege('authenticated', c.oid, a.attnum, 'update'))
order by 1, a.attnum
"""


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    label: str  # first enum label ('' if not an enum)
    insert: bool
    update: bool


@dataclass(frozen=True)
class Caller:
    user: AuthUser
    ids: dict[str, str]  # what a plausible row names, by column-name fragment (first match wins)


def _writable(db: psycopg.Connection) -> dict[str, list[Column]]:
    tables: dict[str, list[Column]] = {}
    for table, *column in db.execute(_WRITABLE).fetchall():
        tables.setdefault(table, []).append(Column(*column))
    return tables


@pytest.fixture
def callers(db: psycopg.Connection) -> dict[str, Caller]:
    """A DJ with a live room, a listener and a guest in it, each with rows of their own to update."""
    api = Api(db)
    dj = make_dj(db)
    session = str(make_session(api, dj)["id"])
    listener, guest = create_user(db), create_user(db, "anonymous")
    for member in (listener, guest):
        api(member, "join_session", p_session_id=session)
    # Guests cannot chat (ANONY): the guest's plausible reply is to the listener's message.
    messages = {u.id: api(u, "send_message", p_session_id=session, p_body="hi", p_client_id=str(uuid.uuid4()))["id"]
                for u in (dj, listener)}  # fmt: skip
    messages[guest.id] = messages[listener.id]
    found: dict[str, Caller] = {}
    for name, user, other in (("dj", dj, listener), ("listener", listener, dj), ("guest", guest, dj)):
        message = messages[user.id]
        playlist = db.execute(
            "insert into public.playlists (owner_id, name) values (%s, 'Mine') returning id", (user.id,)
        ).fetchone()[0]  # type: ignore[index]
        me = str(user.id)
        ids = {"follower": me, "blocker": me, "owner": me, "tipper": me, "followee": str(other.id),
               "blocked": str(other.id), "playlist": str(playlist), "reply_to": str(message),
               "session": session, "dj": str(dj.id), "user": str(other.id)}  # fmt: skip
        found[name] = Caller(user, ids)
    api(dj, "ban_user", p_dj_id=str(dj.id), p_user_id=str(listener.id), p_timeout_seconds=600)
    api(dj, "add_blocked_term", p_term="spoiler")
    return found


def _statement(table: str, columns: list[Column], target: Column | None) -> sql.Composed:
    """PostgREST's insert (target None) or update of ``target`` (on every row RLS lets the caller)."""
    t = sql.Identifier("public", table)
    body = sql.SQL("json_populate_record(null::{}, %s::json)").format(t)
    if target is None:
        names = sql.SQL(", ").join(sql.Identifier(c.name) for c in columns)
        return sql.SQL("insert into {} ({}) select {} from {}").format(t, names, names, body)
    c = sql.Identifier(target.name)
    return sql.SQL("update {} set {} = _.{} from {} as _").format(t, c, c, body)


def _cast_code(db: psycopg.Connection, table: str, row: dict[str, Any]) -> str | None:
    try:
        with db.transaction():
            db.execute(
                sql.SQL("select from json_populate_record(null::{}, %s::json)").format(
                    sql.Identifier("public", table)
                ),
                (json.dumps(row),),
            )
    except psycopg.Error as exc:
        return exc.sqlstate
    return None


def _problem(
    db: psycopg.Connection, who: Caller, table: str, statement: sql.Composed, row: dict[str, Any]
) -> str | None:
    try:
        with db.transaction(force_rollback=True), request(db, who.user.identity(), path=f"/{table}") as conn:
            conn.execute(statement, (json.dumps(row),))
        return None
    except psycopg.Error as exc:
        answer = answer_to(exc)  # what the app reads: from a PGRST raise too
        text = " ".join(filter(None, (answer.message, answer.details, answer.hint)))
        code = answer.code
        why = verdict(code, text, _cast_code(db, table, row) if code in CAST_CODES else None)
    return None if why is None else f"{table} {statement.as_string(db)[:40]} {shown(row)}: {why}"


def test_the_writable_tables_are_read(db: psycopg.Connection) -> None:
    tables = _writable(db)
    assert {"chat_messages", "dj_sessions", "profiles", "follows", "blocks"} <= set(tables)
    columns = [c for cs in tables.values() for c in cs]
    assert any(c.insert for c in columns)
    assert any(c.update for c in columns)


@pytest.mark.parametrize("actor", ["dj", "listener", "guest"])
def test_every_direct_write_answers_only_registered_codes(
    db: psycopg.Connection, callers: dict[str, Caller], actor: str
) -> None:
    who = callers[actor]
    step = 2 if actor == "guest" else 1  # the guest shares the listener's paths until refused
    found = []
    for table, columns in _writable(db).items():
        base = {c.name: plausible(c.name, c.type, c.label, who.ids) for c in columns}
        inserted = [c for c in columns if c.insert]
        for target in [None] * bool(inserted) + [c for c in columns if c.update]:
            statement = _statement(table, inserted, target)
            for c in inserted if target is None else [target]:
                for value in hostile(c.type)[::step]:
                    if p := _problem(db, who, table, statement, base | {c.name: value}):
                        found.append(p)
    assert found == []
