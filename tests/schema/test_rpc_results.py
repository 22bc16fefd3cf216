"""Every json-returning RPC's result is documented (docs/rpc-results/<name>.schema.json, typed in
types/realtime-events.d.ts), and what the RPCs really return matches those schemas."""

from __future__ import annotations

import psycopg
import pytest

from tests.payments.test_tips_ledger import Tip, deliver
from tests.support import rpc_results
from tests.support.api import Api, make_dj, make_session
from tests.support.gotrue import AuthUser, create_user
from tests.support.rooms import LiveRoom

_JSON_RPCS = """
select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
where n.nspname = 'public' and p.prorettype in ('json'::regtype, 'jsonb'::regtype)
  and has_function_privilege('authenticated', p.oid, 'EXECUTE')
"""


@pytest.fixture
def room(db: psycopg.Connection, api: Api) -> tuple[LiveRoom, AuthUser, list[str]]:
    """A live room where a member requested two tracks (one plays), voted and chatted."""
    live = LiveRoom(api, dj := make_dj(db), make_session(api, dj))
    alice = live.member()
    items = [live.request(alice, track)["item"]["id"] for track in ("t1", "t2", "t3")]
    live.control("play", items[0])
    api(alice, "cast_vote", p_item_id=items[1])
    live.say(alice, "hello")
    db.execute("select private.refresh_presence()")
    db.execute("select private.realtime_flush()")
    return live, alice, items


def test_every_json_rpc_the_app_may_call_has_a_result_schema(db: psycopg.Connection) -> None:
    # custom_access_token_hook returns jsonb too, but only Supabase Auth may call it.
    callable_json = {row[0] for row in db.execute(_JSON_RPCS).fetchall()}
    assert callable_json == rpc_results.result_names(), "add (or remove) docs/rpc-results/<name>.schema.json"


def test_the_schemas_name_tables_composites_and_enums_that_exist(db: psycopg.Connection) -> None:
    catalog = rpc_results.Catalog(db)
    unknown = [ref for ref in rpc_results.database_references() if ref[2] not in catalog.names(ref[1])]
    assert unknown == []


def test_the_room_reads_return_what_their_schemas_say(
    db: psycopg.Connection, room: tuple[LiveRoom, AuthUser, list[str]]
) -> None:
    live, alice, items = room
    reads = {
        "session_snapshot": {"p_session_id": live.id},
        "queue_top": {"p_session_id": live.id},
        "session_poll": {"p_session_id": live.id, "p_after_seq": 0},
        "session_events_since": {"p_session_id": live.id, "p_after_seq": 0},
        "my_events_since": {"p_after_seq": 0},
        "explain_rank": {"p_item_id": items[1]},
    }
    for name, args in reads.items():
        result = live.api(alice, name, **args)
        assert result, f"{name} returned nothing to check"
        rpc_results.validate(db, name, result)
    rpc_results.validate(db, "queue_top", live.api(alice, "queue_top", p_session_id=live.id, p_limit=2))
    rpc_results.validate(db, "explain_rank", live.api(alice, "explain_rank", p_item_id=items[0]))  # playing


def test_a_pull_room_poll_and_an_empty_room_match_too(db: psycopg.Connection, api: Api) -> None:
    live = LiveRoom(api, dj := make_dj(db), make_session(api, dj))
    bob = live.member()
    db.execute(
        "update private.realtime_topics set delivery = 'pull', poll_ms = 2000 where topic = %s", (live.topic,)
    )
    for name in ("session_snapshot", "queue_top"):
        rpc_results.validate(db, name, live.api(bob, name, p_session_id=live.id))
    rpc_results.validate(
        db, "session_poll", live.api(bob, "session_poll", p_session_id=live.id, p_after_seq=10**6)
    )


def test_the_account_results_match_their_schemas(
    db: psycopg.Connection, api: Api, room: tuple[LiveRoom, AuthUser, list[str]]
) -> None:
    _, alice, _ = room
    tip = Tip(db, api)
    deliver(db, tip.succeeded(), tip.dispute("needs_response"))
    balance = api(tip.dj, "my_tip_balance")
    assert balance
    rpc_results.validate(db, "my_tip_balance", balance)
    for who in (alice, tip.tipper, tip.dj, create_user(db, "anonymous")):
        rpc_results.validate(db, "export_my_data", api(who, "export_my_data"))
    rpc_results.validate(db, "delete_my_account", api(alice, "delete_my_account"))
