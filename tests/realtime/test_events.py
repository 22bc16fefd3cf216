"""Every state change a listener should see reaches the room (or the user) as the documented
event, with the topic's next sequence number, in the same transaction as the change."""

from __future__ import annotations

import re

import psycopg

from tests.realtime.conftest import Clock, empty_bucket, flush, set_setting
from tests.support.api import Api, make_dj, make_session, raises_code
from tests.support.broadcasts import Broadcasts, documented_events
from tests.support.gotrue import create_user
from tests.support.rooms import LiveRoom


def test_chat_messages_and_deletions_reach_the_room(live: LiveRoom, broadcasts: Broadcasts) -> None:
    alice = live.member()
    message = live.say(alice, "hello room")
    [sent] = broadcasts.take()
    assert (sent.topic, sent.event) == (live.topic, "chat.message")
    assert sent.data["id"] == message["id"]
    assert sent.data["body"] == "hello room"
    assert sent.data["author_id"] == str(alice.id)
    assert sent.data["priority"] is False
    live.api(live.dj, "delete_message", p_message_id=message["id"], p_reason="spam")
    [deleted] = broadcasts.take()
    assert deleted.event == "chat.deleted"
    assert deleted.data == {"id": message["id"], "deleted_by": str(live.dj.id), "by_moderator": True}


def test_the_djs_messages_and_mentions_of_the_dj_are_priority(
    db: psycopg.Connection, live: LiveRoom, broadcasts: Broadcasts
) -> None:
    alice = live.member()
    broadcasts.take()
    live.say(live.dj, "welcome")
    handle = db.execute("select handle from public.profiles where id = %s", (live.dj.id,)).fetchone()[0]  # type: ignore[index]
    live.say(alice, f"@{handle} play something loud")
    room = [b for b in broadcasts.take() if b.topic == live.topic]
    assert [(b.event, b.data["priority"]) for b in room] == [("chat.message", True), ("chat.message", True)]


def test_a_held_message_reaches_only_the_djs_team_until_approved(
    live: LiveRoom, broadcasts: Broadcasts
) -> None:
    alice = live.member()
    live.api(live.dj, "add_blocked_term", p_term="free tickets", p_action="hold")
    broadcasts.take()
    held = live.say(alice, "free tickets here")
    assert held["status"] == "held"
    [review] = broadcasts.take()
    assert (review.topic, review.event) == (f"staff:{live.id}", "chat.held")
    assert (review.data["id"], review.data["held_term"], review.data["body"]) == (
        held["id"],
        "free tickets",
        "free tickets here",
    )
    live.api(live.dj, "approve_message", p_message_id=held["id"])
    assert [(b.topic, b.event, b.data["id"]) for b in broadcasts.take()] == [
        (live.topic, "chat.message", held["id"])
    ]


def test_queue_requests_votes_and_playback(live: LiveRoom, broadcasts: Broadcasts) -> None:
    alice, bob = live.member(), live.member()
    broadcasts.take()
    item = live.request(alice, "t1")["item"]
    [added] = broadcasts.take()
    assert added.event == "queue.item"
    assert added.data["id"] == item["id"]
    assert (added.data["status"], added.data["title"], added.data["requested_by"]) == (
        "queued",
        "Song t1",
        str(alice.id),
    )
    live.api(bob, "cast_vote", p_item_id=item["id"], p_value=1)
    [votes] = broadcasts.take()
    assert votes.event == "queue.votes"
    assert (votes.data["item_id"], votes.data["upvotes"]) == (item["id"], added.data["upvotes"] + 1)
    live.control("play", item["id"])
    got = broadcasts.take()
    assert [(b.topic, b.event) for b in got] == [
        (live.topic, "queue.item"),
        (live.topic, "now_playing"),
        (f"user:{alice.id}", "notification"),
    ]
    assert got[0].data["status"] == "playing"
    assert got[1].data["started_at"] is not None
    assert got[2].data["kind"] == "request_playing"
    assert got[2].data["payload"]["item_id"] == item["id"]


def test_listener_counts_reach_the_room_when_presence_is_refreshed(
    db: psycopg.Connection, live: LiveRoom, broadcasts: Broadcasts
) -> None:
    live.member(), live.member()
    assert broadcasts.take() == [], "joins are counted by the periodic refresh, not one event each"
    db.execute("select private.refresh_presence()")
    [count] = broadcasts.take()
    assert (count.event, count.data) == ("presence.count", {"count": 2, "peak": 2})
    db.execute("select private.refresh_presence()")
    assert broadcasts.take() == [], "unchanged count: nothing sent"


def test_session_lifecycle_and_settings(db: psycopg.Connection, api: Api) -> None:
    dj = make_dj(db)
    session = make_session(api, dj, live=False)
    topic = f"session:{session['id']}"
    broadcasts = Broadcasts(db)
    api(dj, "go_live", p_session_id=session["id"])
    [live_now] = broadcasts.take()
    assert (live_now.topic, live_now.event, live_now.data["status"]) == (topic, "session.status", "live")
    api(dj, "set_chat_settings", p_session_id=session["id"], p_slow_mode_seconds=10)
    [updated] = broadcasts.take()
    assert updated.event == "session.updated"
    assert updated.data["slow_mode_seconds"] == 10
    api(dj, "set_session_visibility", p_session_id=session["id"], p_visibility="followers")
    assert [b.data["visibility"] for b in broadcasts.take()] == ["followers"]
    api(dj, "end_session", p_session_id=session["id"])
    assert [(b.event, b.data["status"]) for b in broadcasts.take() if b.topic == topic][-1:] == [
        ("session.status", "ended")
    ]


def test_personal_events_reach_only_their_user(live: LiveRoom, broadcasts: Broadcasts) -> None:
    alice = live.member()
    handle = live.api.conn.execute(
        "select handle from public.profiles where id = %s", (alice.id,)
    ).fetchone()[0]  # type: ignore[index]
    broadcasts.take()
    live.say(live.dj, f"hi @{handle}")
    assert broadcasts.events() == [(live.topic, "chat.message"), (f"user:{alice.id}", "notification")]
    live.api(
        live.dj, "ban_user", p_dj_id=live.dj.id, p_user_id=alice.id, p_reason="spam", p_timeout_seconds=60
    )
    moderation = [b for b in broadcasts.take() if b.topic == f"user:{alice.id}"]
    assert [(b.event, b.data["kind"]) for b in moderation] == [("moderation.applied", "timeout")]
    assert moderation[0].data["dj_id"] == str(live.dj.id)


def test_a_rolled_back_change_emits_nothing_and_leaves_no_gap(
    db: psycopg.Connection, live: LiveRoom, broadcasts: Broadcasts
) -> None:
    alice = live.member()
    live.say(alice, "first")
    [first] = broadcasts.take()
    db.execute("savepoint change")
    live.say(alice, "never happened")
    db.execute("rollback to savepoint change")
    assert broadcasts.take() == []
    live.say(alice, "this one did")
    [sent] = broadcasts.take()
    assert sent.seq == first.seq + 1
    assert db.execute(
        "select count(*) from private.realtime_log where topic = %s", (live.topic,)
    ).fetchone() == (sent.seq,)


def test_a_rejected_request_changes_nothing_and_sends_nothing(live: LiveRoom, broadcasts: Broadcasts) -> None:
    stranger = create_user(live.api.conn)  # not joined
    broadcasts.take()
    with raises_code("NOTIN"):
        live.say(stranger, "let me in")
    assert broadcasts.take() == []


def test_beyond_the_budget_chat_waits_for_a_tick_in_order_but_state_changes_never_wait(
    db: psycopg.Connection, live: LiveRoom, broadcasts: Broadcasts, clock: Clock
) -> None:
    set_setting(db, "realtime_burst", 2)
    users = [live.member() for _ in range(3)]
    empty_bucket(db, live.topic)
    broadcasts.take()
    first = live.say(users[0], "one")
    second = live.say(users[1], "two")
    assert broadcasts.take() == [], "no budget: chat waits"
    live.api(live.dj, "set_chat_settings", p_session_id=live.id, p_emote_only=False, p_slow_mode_seconds=5)
    [updated] = broadcasts.take()
    assert updated.event == "session.updated", "a state change goes out at once, budget or not"
    clock.advance(1.5)
    assert flush(db) == 1
    [tick] = broadcasts.take()
    assert tick.event == "tick"
    assert tick.seq == updated.seq + 1
    assert [m["id"] for m in tick.data["chat"]] == [first["id"], second["id"]]
    assert tick.data["events"] == []
    assert tick.data["listeners"] is None
    assert tick.data["chat_omitted"] == 0
    assert flush(db) == 0, "nothing left: a second run sends nothing"
    clock.advance(2)
    live.say(users[2], "three")
    assert [b.event for b in broadcasts.take()] == ["chat.message"], "budget back: sent at once"


def test_the_catalogue_and_the_triggers_agree(db: psycopg.Connection) -> None:
    sources = " ".join(
        r[0]
        for r in db.execute(
            "select prosrc from pg_proc where pronamespace in ('private'::regnamespace, 'hidden'::regnamespace)"
        ).fetchall()
    )
    emitted = set(re.findall(r"rt_(?:emit|user_event|broadcast|staff_event)\([^,]+,\s*'([a-z_.]+)'", sources))
    # private.media_event picks the payload by event name
    emitted |= set(re.findall(r"when '(media\.[a-z]+)' then jsonb_build_object", sources))
    assert emitted == documented_events()
