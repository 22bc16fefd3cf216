"""Big rooms: high-frequency events are coalesced into ticks of current state by the flusher."""

from __future__ import annotations

import threading

import psycopg
import pytest

from tests.conftest import FreshDb
from tests.realtime.conftest import Clock, flush, set_setting
from tests.support.api import Api, handle_of, make_dj, make_session
from tests.support.broadcasts import Broadcasts
from tests.support.rooms import LiveRoom


@pytest.fixture
def big(db: psycopg.Connection, live: LiveRoom) -> LiveRoom:
    """The room counts as big (more listeners than realtime_immediate_max_listeners)."""
    set_setting(db, "realtime_immediate_max_listeners", 1)
    live.member(), live.member()
    db.execute("select private.refresh_presence()")
    return live


def test_chat_and_votes_in_a_big_room_wait_for_the_tick(
    db: psycopg.Connection, big: LiveRoom, clock: Clock
) -> None:
    alice, bob = big.member(), big.member()
    item = big.request(alice, "t1")["item"]
    clock.advance(1)
    flush(db)  # the new request goes out in its own tick
    broadcasts = Broadcasts(db)
    hello = big.say(alice, "hello")
    big.api(bob, "cast_vote", p_item_id=item["id"], p_value=1)
    db.execute("select private.refresh_presence()")
    assert broadcasts.take() == [], "nothing high-frequency goes out on its own"
    clock.advance(1)
    assert flush(db) == 1
    [tick] = broadcasts.take()
    assert tick.event == "tick"
    assert [m["id"] for m in tick.data["chat"]] == [hello["id"]]
    assert [(v["item_id"], v["upvotes"]) for v in tick.data["votes"]] == [(item["id"], 2)]
    assert tick.data["listeners"] == {"count": 4, "peak": 4}


def test_state_changes_go_out_at_once_and_the_tick_never_undoes_them(
    db: psycopg.Connection, big: LiveRoom, clock: Clock
) -> None:
    alice = big.member()
    broadcasts = Broadcasts(db)
    item = big.request(alice, "t1")["item"]
    assert broadcasts.take() == [], "a new request is high-frequency"
    big.control("play", item["id"])
    assert [b.event for b in broadcasts.take(big.topic)] == ["queue.item", "now_playing"]
    clock.advance(1)
    flush(db)
    [tick] = broadcasts.take(big.topic)
    assert [(q["id"], q["status"]) for q in tick.data["queue"]] == [(item["id"], "playing")]


def test_a_message_deleted_before_its_tick_is_left_out(
    db: psycopg.Connection, big: LiveRoom, clock: Clock
) -> None:
    alice = big.member()
    broadcasts = Broadcasts(db)
    kept, gone = big.say(alice, "kept"), big.say(big.dj, "oops")
    big.api(big.dj, "delete_message", p_message_id=gone["id"])
    [deleted] = broadcasts.take()
    assert deleted.event == "chat.deleted"
    clock.advance(1)
    flush(db)
    [tick] = broadcasts.take()
    assert [m["id"] for m in tick.data["chat"]] == [kept["id"]]
    assert tick.data["chat_omitted"] == 0


def test_past_the_limit_chat_is_sampled_but_priority_messages_always_go(
    db: psycopg.Connection, big: LiveRoom, clock: Clock
) -> None:
    set_setting(db, "realtime_chat_per_tick", 3)
    moderator = big.member()
    big.api(big.dj, "appoint_moderator", p_user_id=moderator.id)
    crowd = [big.member() for _ in range(6)]
    broadcasts = Broadcasts(db)
    said = [big.say(user, f"message {i}") for i, user in enumerate(crowd)]
    dj = big.say(big.dj, "thanks all")
    mod = big.say(moderator, "keep it friendly")
    mention = big.say(crowd[0], f"@{handle_of(db, big.dj)} encore!")
    clock.advance(1)
    flush(db)
    [tick] = broadcasts.take(big.topic)
    ids = [m["id"] for m in tick.data["chat"]]
    assert {dj["id"], mod["id"], mention["id"]} <= set(ids), "priority is never sampled out"
    assert len(ids) == 3
    assert tick.data["chat_omitted"] == len(said) + 3 - 3
    assert ids == sorted(ids, key=[m["id"] for m in [*said, dj, mod, mention]].index), "in order"


def test_flushing_is_idempotent_and_safe_to_run_concurrently(fresh_db: FreshDb) -> None:
    with fresh_db.connect("supabase_admin") as setup:
        setup.execute("set role postgres")
        setup.execute(
            "update private.settings set value = '0' where key = 'realtime_immediate_max_listeners'"
        )
        api = Api(setup)
        room = LiveRoom(api, dj := make_dj(setup), make_session(api, dj))
        alice = room.member()
        setup.execute("select private.refresh_presence()")
        for i in range(5):
            room.say(alice if i % 2 else dj, f"m{i}")
    holder = fresh_db.connect(autocommit=False)
    try:
        # One flusher holds the room (mid-tick); others skip it instead of waiting or doubling.
        assert holder.execute("select private.realtime_flush()").fetchone() == (1,)
        results: list[int] = []

        def other() -> None:
            with fresh_db.connect() as conn:
                results.append(conn.execute("select private.realtime_flush()").fetchone()[0])  # type: ignore[index]

        threads = [threading.Thread(target=other) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
        assert results == [0, 0, 0]
        holder.commit()
    finally:
        holder.close()
    with fresh_db.connect() as conn:
        assert conn.execute("select private.realtime_flush()").fetchone() == (0,), "nothing left"
        ticks = conn.execute(
            "select payload from private.realtime_log where topic = %s and event = 'tick'", (room.topic,)
        ).fetchall()
        assert len(ticks) == 1
        assert len(ticks[0][0]["data"]["chat"]) == 5
        assert conn.execute("select count(*) from private.realtime_buffer").fetchone() == (0,)
