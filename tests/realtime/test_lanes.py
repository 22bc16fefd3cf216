"""How each room is served, decided by the server and told to the app: push rooms are broadcast
every event at once; a room that grows becomes a pull room, announced by a `delivery` event, and
its app reads it with session_poll from the same sequence numbers, losing nothing; the DJ's team
has its own lane."""

from __future__ import annotations

import psycopg

from tests.realtime.conftest import Clock, flush, set_setting
from tests.support.api import make_dj, make_session
from tests.support.broadcasts import Broadcast, Broadcasts, Poller
from tests.support.gotrue import AuthUser, create_user
from tests.support.realtime import can_read
from tests.support.rooms import LiveRoom


def topic_state(db: psycopg.Connection, topic: str) -> tuple[str, int, int]:
    row = db.execute(
        "select delivery, subscribers, poll_ms from private.realtime_topics where topic = %s", (topic,)
    ).fetchone()
    assert row is not None
    return str(row[0]), int(row[1]), int(row[2])


def grow(db: psycopg.Connection, room: LiveRoom, listeners: int) -> list[AuthUser]:
    """Members join until the room has ``listeners``; presence refreshed and the flusher run."""
    joined = [room.member() for _ in range(listeners)]
    db.execute("select private.refresh_presence()")
    flush(db)
    return joined


def test_a_small_room_is_a_push_room_broadcast_to_its_foreground_members(
    db: psycopg.Connection, live: LiveRoom
) -> None:
    alice, bob = grow(db, live, 2)
    assert topic_state(db, live.topic)[:2] == ("push", 2)
    live.api(bob, "heartbeat", p_session_id=live.id, p_foreground=False)
    db.execute("select private.refresh_presence()")
    flush(db)
    assert topic_state(db, live.topic)[:2] == ("push", 1), "bob's app went to the background: unsubscribed"
    broadcasts = Broadcasts(db)
    live.say(alice, "hi")
    [line] = broadcasts.take(live.topic)
    recipients = db.execute(
        "select recipients, sent from private.realtime_log where topic = %s and seq = %s",
        (live.topic, line.seq),
    ).fetchone()
    assert recipients == (1, True)
    snap = live.api(alice, "session_snapshot", p_session_id=live.id)
    assert snap["delivery"] == {"mode": "push", "poll_ms": None, "cdn": None}


def test_a_growing_room_switches_to_pull_and_its_apps_lose_nothing(
    db: psycopg.Connection, live: LiveRoom, clock: Clock
) -> None:
    set_setting(db, "realtime_push_max_listeners", 2)
    set_setting(db, "realtime_pull_min_listeners", 4)
    first, second = grow(db, live, 2)
    # The first app follows the room as a push subscriber would: every broadcast, in order.
    broadcasts = Broadcasts(db)
    seen: list[Broadcast] = []
    live.say(first, "before")
    seen += broadcasts.take(live.topic)
    assert topic_state(db, live.topic)[0] == "push"
    third = grow(db, live, 1)[0]
    assert topic_state(db, live.topic)[0] == "push", "3 listeners: between the thresholds, no change"
    grow(db, live, 1)
    live.say(second, "racing the switch")  # buffered as a crowd line or sent: either way, not lost
    seen += broadcasts.take(live.topic)
    [switch] = [b for b in seen if b.event == "delivery"]
    assert switch.data == {"mode": "pull", "poll_ms": 900, "cdn": None}
    assert topic_state(db, live.topic) == ("pull", 0, 900), "nobody subscribes to a crowd"
    # The app unsubscribes and polls from the last sequence number it applied.
    poller = Poller(live.api, first, live.id, after_seq=seen[-1].seq)
    live.say(third, "after")
    clock.advance(1)
    flush(db)
    polled = poller.poll()
    bodies = [b.data["body"] for b in seen + polled if b.event == "chat.message"]
    bodies += [m["body"] for b in polled if b.event == "tick" for m in b.data["chat"]]
    assert sorted(bodies) == sorted(["before", "racing the switch", "after"]), "every line, once"
    assert poller.mode == "pull"
    assert broadcasts.take(live.topic) == [], "a crowd is polled, never broadcast to"


def test_a_shrinking_room_goes_back_to_push_and_says_so_in_the_poll(
    db: psycopg.Connection, live: LiveRoom
) -> None:
    set_setting(db, "realtime_push_max_listeners", 1)
    set_setting(db, "realtime_pull_min_listeners", 3)
    members = grow(db, live, 3)
    assert topic_state(db, live.topic)[0] == "pull"
    poller = Poller(live.api, members[0], live.id)
    poller.poll()
    for member in members[1:]:
        live.api(member, "leave_session", p_session_id=live.id)
    live.api(members[0], "heartbeat", p_session_id=live.id, p_foreground=True)
    db.execute("select private.refresh_presence()")
    flush(db)
    assert topic_state(db, live.topic)[:2] == ("push", 1)
    [switch] = [b for b in poller.poll() if b.event == "delivery"]
    assert switch.data == {"mode": "push", "poll_ms": None, "cdn": None}
    assert poller.mode == "push", "subscribe now (then one poll closes the gap)"
    broadcasts = Broadcasts(db)
    live.say(members[0], "pushed again")
    assert [b.event for b in broadcasts.take(live.topic)] == ["chat.message"]


def test_polls_slow_down_alike_when_the_projects_pollers_exceed_the_budget(
    db: psycopg.Connection, live: LiveRoom
) -> None:
    set_setting(db, "realtime_push_max_listeners", 1)
    set_setting(db, "realtime_pull_min_listeners", 2)
    set_setting(db, "realtime_poll_budget_per_second", 4)  # 4 polls a second for the whole project
    grow(db, live, 5)  # 5 foreground members: 5.6 polls a second at 900 ms
    assert topic_state(db, live.topic) == ("pull", 0, 1250)
    set_setting(db, "realtime_poll_budget_per_second", 6000)
    flush(db)
    assert topic_state(db, live.topic)[2] == 900


def test_at_once_events_reach_a_crowds_next_poll_without_a_flush(
    db: psycopg.Connection, live: LiveRoom
) -> None:
    set_setting(db, "realtime_push_max_listeners", 1)
    set_setting(db, "realtime_pull_min_listeners", 2)
    alice, _ = grow(db, live, 2)
    poller = Poller(live.api, alice, live.id)
    poller.poll()
    live.api(live.dj, "announce", p_session_id=live.id, p_body="Back at 11!")
    live.api(live.dj, "set_chat_settings", p_session_id=live.id, p_slow_mode_seconds=5)
    events = poller.poll()
    assert [b.event for b in events] == ["session.announcement", "session.updated"]
    assert events[0].data["body"] == "Back at 11!"


def test_an_app_in_a_crowd_learns_of_its_personal_events_from_the_poll(
    db: psycopg.Connection, live: LiveRoom
) -> None:
    set_setting(db, "realtime_push_max_listeners", 1)
    set_setting(db, "realtime_pull_min_listeners", 2)
    alice, _ = grow(db, live, 2)
    before = live.api(alice, "session_poll", p_session_id=live.id, p_after_seq=0)["me"]
    live.api(
        live.dj,
        "ban_user",
        p_dj_id=live.dj.id,
        p_user_id=alice.id,
        p_reason="calm down",
        p_timeout_seconds=60,
    )
    after = live.api(alice, "session_poll", p_session_id=live.id, p_after_seq=0)["me"]
    assert after == before + 1
    mine = live.api(alice, "my_events_since", p_after_seq=before)
    assert [e["event"] for e in mine["events"]] == ["moderation.applied"]


def can_join(db: psycopg.Connection, who: AuthUser, topic: str) -> bool:
    """Whether Realtime lets ``who`` join ``topic`` (read on broadcast, as it checks at join)."""
    return can_read(db, who.identity(), topic, ("broadcast",))["broadcast"]


def test_only_the_djs_team_may_join_the_staff_lane(db: psycopg.Connection, live: LiveRoom) -> None:
    moderator, cohost, listener = create_user(db), live.member(), live.member()
    live.api(live.dj, "appoint_moderator", p_user_id=moderator.id)
    live.api(live.dj, "set_cohost", p_session_id=live.id, p_user_id=cohost.id)
    staff = f"staff:{live.id}"
    assert can_join(db, live.dj, staff)
    assert can_join(db, moderator, staff)
    assert can_join(db, cohost, staff)
    assert not can_join(db, listener, staff)
    assert can_join(db, listener, live.topic)
    other = make_session(live.api, make_dj(db))
    assert not can_join(db, live.dj, f"staff:{other['id']}")
