"""Crowds (pull rooms): chat, votes, requests and counts are coalesced by the flusher into one frame
a second, which the app reads with session_poll; state changes are in the next poll at once; a
frame and a flush stay bounded whatever the load."""

from __future__ import annotations

import json
import threading

import psycopg
import pytest

from tests.conftest import FreshDb
from tests.realtime.conftest import Clock, flush, set_setting
from tests.support.api import Api, handle_of, make_dj, make_session, raises_code
from tests.support.broadcasts import Broadcasts, Poller
from tests.support.gotrue import create_user
from tests.support.rooms import LiveRoom


def make_crowd(db: psycopg.Connection, room: LiveRoom) -> LiveRoom:
    """Turn ``room`` into a pull room (more listeners than realtime_pull_min_listeners)."""
    set_setting(db, "realtime_push_max_listeners", 1)
    set_setting(db, "realtime_pull_min_listeners", 2)
    room.member(), room.member()
    db.execute("select private.refresh_presence()")
    flush(db)
    mode = db.execute(
        "select delivery from private.realtime_topics where topic = %s", (room.topic,)
    ).fetchone()
    assert mode == ("pull",)
    return room


@pytest.fixture
def crowd(db: psycopg.Connection, live: LiveRoom) -> LiveRoom:
    return make_crowd(db, live)


def poller_for(room: LiveRoom, who: object) -> Poller:
    """A poller that has caught up with the room."""
    poller = Poller(room.api, who, room.id)
    poller.poll()
    return poller


def test_a_crowds_chat_votes_and_requests_reach_its_polls_in_one_frame(
    db: psycopg.Connection, crowd: LiveRoom, clock: Clock
) -> None:
    alice, bob = crowd.member(), crowd.member()
    item = crowd.request(alice, "t1")["item"]
    clock.advance(1)
    flush(db)
    poller = poller_for(crowd, alice)
    broadcasts = Broadcasts(db)
    hello = crowd.say(alice, "hello")
    crowd.api(bob, "cast_vote", p_item_id=item["id"], p_value=1)
    db.execute("select private.refresh_presence()")
    assert poller.poll() == [], "high-frequency events wait for the frame"
    clock.advance(1)
    assert flush(db) == 1
    [frame] = poller.poll()
    assert frame.event == "tick"
    assert [m["id"] for m in frame.data["chat"]] == [hello["id"]]
    assert [(v["item_id"], v["upvotes"]) for v in frame.data["votes"]] == [(item["id"], 2)]
    assert frame.data["top"] == [item["id"]]
    assert frame.data["listeners"] == {"count": 4, "peak": 4}
    assert broadcasts.take(crowd.topic) == [], "nothing is broadcast to a crowd: polls are free"
    unsent = db.execute(
        "select bool_and(not sent) from private.realtime_log where topic = %s and seq > %s",
        (crowd.topic, poller.last_seq - 1),
    ).fetchone()
    assert unsent == (True,), "frames are logged for polls, never billed"


def test_state_changes_are_in_the_next_poll_at_once_and_the_frame_never_undoes_them(
    db: psycopg.Connection, crowd: LiveRoom, clock: Clock
) -> None:
    alice = crowd.member()
    item = crowd.request(alice, "t1")["item"]
    poller = poller_for(crowd, alice)
    crowd.control("play", item["id"])
    assert [b.event for b in poller.poll()] == ["queue.item", "now_playing"], "no flush needed"
    clock.advance(1)
    flush(db)
    [frame] = poller.poll()
    assert [(q["id"], q["status"]) for q in frame.data["queue"]] == [(item["id"], "playing")]


def test_a_message_deleted_before_its_frame_is_left_out(
    db: psycopg.Connection, crowd: LiveRoom, clock: Clock
) -> None:
    alice = crowd.member()
    poller = poller_for(crowd, alice)
    kept, gone = crowd.say(alice, "kept"), crowd.say(crowd.dj, "oops")
    crowd.api(crowd.dj, "delete_message", p_message_id=gone["id"])
    [deleted] = poller.poll()
    assert deleted.event == "chat.deleted"
    clock.advance(1)
    flush(db)
    [frame] = poller.poll()
    assert [m["id"] for m in frame.data["chat"]] == [kept["id"]]
    assert frame.data["chat_omitted"] == 0


def test_past_the_limit_chat_is_sampled_priority_kept_and_chat_since_has_the_rest(
    db: psycopg.Connection, crowd: LiveRoom, clock: Clock
) -> None:
    set_setting(db, "realtime_chat_per_tick", 3)
    moderator = crowd.member()
    crowd.api(crowd.dj, "appoint_moderator", p_user_id=moderator.id)
    people = [crowd.member() for _ in range(6)]
    poller = poller_for(crowd, people[0])
    said = [crowd.say(user, f"message {i}") for i, user in enumerate(people)]
    dj = crowd.say(crowd.dj, "thanks all")
    mod = crowd.say(moderator, "keep it friendly")
    mention = crowd.say(people[0], f"@{handle_of(db, crowd.dj)} encore!")
    clock.advance(1)
    flush(db)
    [frame] = poller.poll()
    ids = [m["id"] for m in frame.data["chat"]]
    everything = [m["id"] for m in [*said, dj, mod, mention]]
    assert {dj["id"], mod["id"], mention["id"]} <= set(ids), "priority is never sampled out"
    assert len(ids) == 3
    assert frame.data["chat_omitted"] == len(everything) - 3
    assert ids == sorted(ids, key=everything.index), "in order"
    # One transaction here, so one created_at: chat_since pages by (created_at, id).
    history = sorted([*said, dj, mod, mention], key=lambda m: (m["created_at"], m["id"]))
    rest = crowd.api(people[0], "chat_since", p_session_id=crowd.id, p_after_created_at=history[0]["created_at"],
                     p_after_id=history[0]["id"])  # fmt: skip
    assert [m["id"] for m in rest] == [m["id"] for m in history[1:]], (
        "what the frame left out is one call away"
    )


def test_a_flood_gives_bounded_frames_and_bounded_flushes(
    db: psycopg.Connection, crowd: LiveRoom, clock: Clock
) -> None:
    set_setting(db, "realtime_tick_max_events", 40)
    set_setting(db, "realtime_tick_top_items", 5)
    set_setting(db, "chat_rate_messages", 1000)
    people = [crowd.member() for _ in range(10)]
    poller = poller_for(crowd, people[0])
    for n in range(30):
        crowd.request(people[n % 10], f"flood-{n}")
    for n in range(60):
        crowd.say(people[n % 10], f"line {n}")
    waiting = db.execute(
        "select count(*) from private.realtime_buffer where topic = %s", (crowd.topic,)
    ).fetchone()
    assert waiting == (90,)
    frames = []
    for _ in range(3):
        clock.advance(1)
        flush(db)
        frames += poller.poll()
    assert len(frames) == 3, "40 + 40 + 10 events: one frame a second, each flush taking at most 40"
    for frame in frames:
        assert len(frame.data["queue"]) <= 10, "at most twice the top"
        assert len(frame.data["chat"]) <= 30
        assert len(json.dumps(frame.payload)) < 200_000
    assert sum(len(f.data["queue"]) + f.data["queue_omitted"] for f in frames) == 30, "every request counted"
    assert sum(len(f.data["chat"]) + f.data["chat_omitted"] for f in frames) == 60, "every line counted"
    assert len(frames[0].data["top"]) == 5


def test_the_staff_lane_has_every_line_and_request_of_a_crowd_at_once(
    db: psycopg.Connection, crowd: LiveRoom
) -> None:
    set_setting(db, "realtime_chat_per_tick", 1)
    crowd.api(crowd.dj, "join_session", p_session_id=crowd.id)
    alice = crowd.member()
    broadcasts = Broadcasts(db)
    lines = [crowd.say(alice, f"line {n}") for n in range(3)]
    item = crowd.request(alice, "t1")["item"]
    staff = broadcasts.take(f"staff:{crowd.id}")
    assert [(b.event, b.data["id"]) for b in staff] == [
        *(("chat.message", line["id"]) for line in lines),
        ("queue.item", item["id"]),
    ]
    assert broadcasts.take(crowd.topic) == []
    recipients = db.execute(
        "select recipients from private.realtime_log where topic = %s order by seq desc limit 1",
        (f"staff:{crowd.id}",),
    ).fetchone()
    assert recipients == (1,), "the DJ, the only one of the team in the room"


def test_a_flood_on_the_staff_lane_is_batched_whole(
    db: psycopg.Connection, crowd: LiveRoom, clock: Clock
) -> None:
    set_setting(db, "realtime_staff_per_minute", 12)  # a burst of 2
    set_setting(db, "chat_rate_messages", 1000)
    db.execute("delete from private.realtime_topics where topic = %s", (f"staff:{crowd.id}",))
    alice = crowd.member()
    broadcasts = Broadcasts(db)
    lines = [crowd.say(alice, f"line {n}") for n in range(6)]
    assert [b.data["id"] for b in broadcasts.take(f"staff:{crowd.id}")] == [lines[0]["id"], lines[1]["id"]]
    clock.advance(5)  # one token back
    flush(db)
    [tick] = broadcasts.take(f"staff:{crowd.id}")
    assert tick.event == "tick"
    assert [e["data"]["id"] for e in tick.data["events"]] == [line["id"] for line in lines[2:]], (
        "none sampled"
    )


def test_who_may_poll_a_room_is_who_may_subscribe_to_it(
    db: psycopg.Connection, api: Api, crowd: LiveRoom
) -> None:
    stranger = create_user(db)
    assert crowd.api(stranger, "session_poll", p_session_id=crowd.id, p_after_seq=0)["mode"] == "pull", (
        "a public room, as for a channel join"
    )
    hidden = LiveRoom(api, dj := make_dj(db), make_session(api, dj, p_visibility="private"))
    with raises_code("42501", 403):
        api(stranger, "session_poll", p_session_id=hidden.id, p_after_seq=0)
    alice = crowd.member()
    assert crowd.api(alice, "session_poll", p_session_id=crowd.id, p_after_seq=0)["mode"] == "pull"
    crowd.api(crowd.dj, "ban_user", p_dj_id=crowd.dj.id, p_user_id=alice.id, p_reason="spam")
    with raises_code("42501", 403):
        crowd.api(alice, "session_poll", p_session_id=crowd.id, p_after_seq=0)
    bob = crowd.member()
    crowd.api(crowd.dj, "block_user", p_user_id=bob.id)
    with raises_code("42501", 403):
        crowd.api(bob, "session_poll", p_session_id=crowd.id, p_after_seq=0)


def test_flushing_is_idempotent_and_safe_to_run_concurrently(fresh_db: FreshDb) -> None:
    with fresh_db.connect("supabase_admin") as setup:
        setup.execute("set role postgres")
        setup.execute("update private.settings set value = '0' where key = 'realtime_push_max_listeners'")
        setup.execute("update private.settings set value = '1' where key = 'realtime_pull_min_listeners'")
        api = Api(setup)
        room = LiveRoom(api, dj := make_dj(setup), make_session(api, dj))
        alice = room.member()
        setup.execute("select private.refresh_presence()")
        setup.execute("select private.realtime_flush()")
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
