"""Every public RPC answers only registered SQLSTATEs, whatever it is sent (issue 17 §4).

The RPCs are enumerated from the catalog (every function in public that authenticated may
execute, with its argument names and types), so one added later is covered. Each is called as
PostgREST calls it (one transaction, role authenticated, a real user's claims, the pre-request
hook, the JSON body cast to named arguments) by a DJ with a live room, a listener in it, a guest
and a token whose user was deleted: every argument null; then each argument hostile in turn
(tests/schema/hostile.py) with the others plausible; then hypothesis mixes hostile values.
The error must be registered and name no internals (tests/schema/hostile.py, ``verdict``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import sql

from tests.schema.hostile import CAST_CODES, CODES, hostile, plausible, shown, verdict
from tests.support.api import Api, make_dj, make_session, raises_code
from tests.support.gotrue import create_user
from tests.support.postgrest import Identity, PostgrestError, rpc

_RPCS = """
select p.proname, coalesce(p.proargnames[1:p.pronargs], '{}'),
       coalesce((select array_agg(format_type(t, null) order by n)
                 from unnest(p.proargtypes::oid[]) with ordinality as a(t, n)), '{}'),
       coalesce((select array_agg(coalesce((select e.enumlabel from pg_enum as e where e.enumtypid = t
                                            order by e.enumsortorder limit 1), '') order by n)
                 from unnest(p.proargtypes::oid[]) with ordinality as a(t, n)), '{}')
from pg_proc as p join pg_namespace as ns on ns.oid = p.pronamespace
where ns.nspname = 'public' and p.prokind = 'f' and p.prorettype <> 'trigger'::regtype
  and has_function_privilege('authenticated', p.oid, 'execute')
  and not exists (select 1 from pg_depend as d where d.objid = p.oid and d.deptype = 'e')
order by 1
"""


@dataclass(frozen=True)
class Rpc:
    name: str
    args: tuple[tuple[str, str, str], ...]  # name, type, first enum label ('' if not an enum)


@dataclass(frozen=True)
class World:
    """Who calls, the ids a plausible call names, and the catalog's RPCs."""

    actors: dict[str, Identity]
    ids: dict[str, str]
    rpcs: list[Rpc]


@pytest.fixture
def world(db: psycopg.Connection) -> World:
    api = Api(db)
    dj = make_dj(db)
    session = make_session(api, dj)
    listener, guest, gone = create_user(db), create_user(db, "anonymous"), create_user(db)
    for member in (listener, guest):
        api(member, "join_session", p_session_id=session["id"])
    item = api(listener, "request_track", p_session_id=session["id"], p_provider="spotify",
               p_provider_track_id="hostile1", p_title="Song", p_artist="Artist", p_duration_ms=180_000)  # fmt: skip
    db.execute("delete from auth.users where id = %s", (gone.id,))
    actors = {"dj": dj.identity(), "listener": listener.identity(), "guest": guest.identity(),
              "deleted": gone.identity()}  # fmt: skip
    ids = {"session": str(session["id"]), "item": str(item["item"]["id"]), "dj": str(dj.id),
           "user": str(listener.id), "followee": str(dj.id)}  # fmt: skip
    rows = db.execute(_RPCS).fetchall()
    rpcs = [Rpc(name, tuple(zip(names, types, labels, strict=True))) for name, names, types, labels in rows]
    return World(actors, ids, rpcs)


def _cast_code(db: psycopg.Connection, rpc_: Rpc, args: dict[str, Any]) -> str | None:
    """The SQLSTATE PostgREST's parsing of the body (json_to_record into the argument types) fails with."""
    columns = [(n, t) for n, t, _ in rpc_.args if n in args]
    query = sql.SQL("select from json_to_record(%s::json) as _({})").format(
        sql.SQL(", ").join(sql.SQL("{} {}").format(sql.Identifier(n), sql.SQL(t)) for n, t in columns)
    )
    try:
        with db.transaction():
            db.execute(query, (json.dumps(args),))
    except psycopg.Error as exc:
        return exc.sqlstate
    return None


def problem(db: psycopg.Connection, who: Identity, rpc_: Rpc, args: dict[str, Any]) -> str | None:
    """None if the call succeeds (then rolled back) or fails acceptably, else what went wrong."""
    try:
        with db.transaction(force_rollback=True):
            rpc(db, who, rpc_.name, args)
        return None
    except PostgrestError as exc:
        text = " ".join(filter(None, (exc.message, exc.details, exc.hint)))
        cast = _cast_code(db, rpc_, args) if exc.code in CAST_CODES else None
        why = verdict(exc.code, text, cast)
    return None if why is None else f"{rpc_.name}{shown(args)}: {why}"


def cases(world: World, rpc_: Rpc, step: int) -> Iterator[dict[str, Any]]:
    """All nulls; all plausible; then each argument hostile in turn (every ``step``-th value; 0:
    none), the others plausible."""
    yield {n: None for n, _, _ in rpc_.args}
    base = {n: plausible(n, t, label, world.ids) for n, t, label in rpc_.args}
    yield base
    for n, t, _ in rpc_.args if step else ():
        for value in hostile(t)[::step]:
            yield base | {n: value}


#: How much of the matrix each caller gets: the guest shares the listener's paths until refused
#: (ANONY), so half the values; the deleted user's token is refused before any argument is read.
_STEPS = {"dj": 1, "listener": 1, "guest": 2, "deleted": 0}


def _matrix(db: psycopg.Connection, world: World, actor: str) -> list[str]:
    who = world.actors[actor]
    return [
        p for r in world.rpcs for args in cases(world, r, _STEPS[actor]) if (p := problem(db, who, r, args))
    ]


def test_the_catalog_and_the_registry_are_read(world: World) -> None:
    assert len(world.rpcs) > 50  # the whole API, not an empty catalog query
    assert "request_track" in {r.name for r in world.rpcs}
    assert {"LOGIN", "SUSPD", "42501", "22023", "P0002"} <= CODES
    assert {"22P02", "22003", "22007", "22008"} <= CAST_CODES
    assert not CAST_CODES & CODES


@pytest.mark.parametrize("actor", ["dj", "listener", "guest", "deleted"])
def test_every_rpc_answers_only_registered_codes(db: psycopg.Connection, world: World, actor: str) -> None:
    assert _matrix(db, world, actor) == []


def test_a_deleted_users_token_is_not_signed_in(db: psycopg.Connection, world: World) -> None:
    with pytest.raises(PostgrestError) as caught:
        rpc(db, world.actors["deleted"], "follow", {"p_user_id": world.ids["dj"]})
    assert (caught.value.code, caught.value.message) == ("LOGIN", "This account no longer exists.")
    assert caught.value.hint


@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(data=st.data())
def test_hostile_values_together_answer_only_registered_codes(
    db: psycopg.Connection, world: World, data: st.DataObject
) -> None:
    rpc_ = data.draw(st.sampled_from([r for r in world.rpcs if r.args]))
    actor = data.draw(st.sampled_from(["dj", "listener", "guest"]))
    args = {
        n: data.draw(st.sampled_from([plausible(n, t, label, world.ids), *hostile(t)]), label=n)
        for n, t, label in rpc_.args
    }
    assert problem(db, world.actors[actor], rpc_, args) is None


def test_limits_and_nulls_answer_22023_naming_the_field_and_change_nothing(
    db: psycopg.Connection, world: World
) -> None:
    """The reproduced cases: a limit only a constraint enforced, and explicit nulls for defaults."""
    api = Api(db)
    dj, session = world.actors["dj"], world.ids["session"]
    staff = create_user(db)
    db.execute("insert into private.staff (user_id, role) values (%s, 'moderator')", (staff.id,))
    report = api(world.actors["listener"], "report_content", p_target_kind="user", p_target_id=world.ids["dj"],
                 p_reason="spam")  # fmt: skip
    before = db.execute("select s from public.dj_sessions as s where s.id = %s", (session,)).fetchone()
    attempts = {
        "Invalid resolution_note.": (staff, "resolve_report",
                                     {"p_report_id": report, "p_status": "dismissed", "p_note": "n" * 1001}),
        "Invalid reason.": (dj, "ban_user", {"p_dj_id": world.ids["dj"], "p_user_id": world.ids["user"],
                                             "p_reason": "r" * 501}),
        "queue_policy is required.": (dj, "set_queue_settings", {"p_session_id": session, "p_policy": None}),
        "skip_percent is required.": (dj, "set_queue_settings", {"p_session_id": session, "p_skip_percent": None}),
        "Invalid request_limit.": (dj, "set_queue_settings", {"p_session_id": session, "p_request_limit": 51}),
        "visibility is required.": (dj, "set_session_visibility", {"p_session_id": session, "p_visibility": None}),
    }  # fmt: skip
    for message, (who, function, args) in attempts.items():
        with raises_code("22023") as caught:
            api(who, function, **args)
        assert caught.value.message == message
    assert (
        db.execute("select s from public.dj_sessions as s where s.id = %s", (session,)).fetchone() == before
    )
    assert db.execute(
        "select status, resolution_note from public.reports where id = %s", (report,)
    ).fetchone() == (
        "open",
        None,
    )
    assert db.execute(
        "select count(*) from public.dj_bans where user_id = %s", (world.ids["user"],)
    ).fetchone() == (0,)
