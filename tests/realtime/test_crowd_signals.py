"""What a packed room shows besides chat (reactions, skip-vote progress, the pinned announcement)
and what its DJ's team must not miss (reports), in push rooms and crowds alike."""

from __future__ import annotations

import psycopg
import pytest

from tests.realtime.conftest import Clock, flush
from tests.realtime.test_ticks import make_crowd, poller_for
from tests.support.api import raises_code
from tests.support.broadcasts import Broadcasts
from tests.support.gotrue import create_user
from tests.support.rooms import LiveRoom


def test_a_reaction_reaches_a_push_room_at_once(live: LiveRoom, broadcasts: Broadcasts) -> None:
    alice = live.member()
    broadcasts.take()
    assert live.api(alice, "react", p_session_id=live.id, p_emoji="🔥") is True
    [reaction] = broadcasts.take(live.topic)
    assert (reaction.event, reaction.data) == ("reaction", {"emoji": "🔥", "user_id": str(alice.id)})


def test_a_crowds_reactions_arrive_as_counts_in_the_frame(
    db: psycopg.Connection, live: LiveRoom, clock: Clock
) -> None:
    crowd = make_crowd(db, live)
    people = [crowd.member() for _ in range(4)]
    poller = poller_for(crowd, people[0])
    for who, emoji in zip(people, ["🔥", "🔥", "🎉", "🔥"], strict=True):
        crowd.api(who, "react", p_session_id=crowd.id, p_emoji=emoji)
    clock.advance(1)
    flush(db)
    [frame] = poller.poll()
    assert frame.data["reactions"] == {"🔥": 3, "🎉": 1}


def test_reactions_are_checked_and_rate_limited(db: psycopg.Connection, live: LiveRoom) -> None:
    alice, stranger = live.member(), create_user(db)
    with raises_code("22023", 400) as bad:
        live.api(alice, "react", p_session_id=live.id, p_emoji="💩")
    assert "🔥" in (bad.value.details or "")
    with raises_code("NOTIN"):
        live.api(stranger, "react", p_session_id=live.id, p_emoji="🔥")
    for _ in range(5):
        live.api(alice, "react", p_session_id=live.id, p_emoji="🎉")
    with raises_code("RATEL"):
        live.api(alice, "react", p_session_id=live.id, p_emoji="🎉")


def test_skip_vote_progress_reaches_the_room(
    db: psycopg.Connection, live: LiveRoom, broadcasts: Broadcasts
) -> None:
    alice, bob, carol = live.member(), live.member(), live.member()
    db.execute("select private.refresh_presence()")
    item = live.request(alice, "t1")["item"]
    live.control("play", item["id"])
    live.api(live.dj, "set_queue_settings", p_session_id=live.id, p_skip_mode="percent", p_skip_percent=100)
    broadcasts.take()
    live.api(bob, "vote_skip", p_session_id=live.id)
    [progress] = [b for b in broadcasts.take(live.topic) if b.event == "queue.skip"]
    assert progress.data == {"item_id": item["id"], "votes": 1, "needed": 3}
    live.api(carol, "vote_skip", p_session_id=live.id)
    assert [b.data["votes"] for b in broadcasts.take(live.topic) if b.event == "queue.skip"] == [2]


def test_the_pinned_announcement_goes_to_everyone_at_once_and_is_in_the_snapshot(
    db: psycopg.Connection, live: LiveRoom, broadcasts: Broadcasts
) -> None:
    alice = live.member()
    moderator = create_user(db)
    live.api(live.dj, "appoint_moderator", p_user_id=moderator.id)
    broadcasts.take()
    live.api(moderator, "announce", p_session_id=live.id, p_body="  Back-to-back at 11!  ")
    [pinned] = broadcasts.take(live.topic)
    assert pinned.event == "session.announcement"
    assert (pinned.data["body"], pinned.data["by"]) == ("Back-to-back at 11!", str(moderator.id))
    snap = live.api(alice, "session_snapshot", p_session_id=live.id)
    assert snap["session"]["announcement"] == "Back-to-back at 11!"
    live.api(live.dj, "announce", p_session_id=live.id, p_body="")
    [cleared] = broadcasts.take(live.topic)
    assert cleared.data["body"] is None
    again = live.api(alice, "session_snapshot", p_session_id=live.id)
    # A snapshot is as of its seq (at most a second old): what follows it, the app applies.
    assert again["session"]["announcement"] is None or again["seq"] < cleared.seq


@pytest.mark.parametrize(
    ("who", "body", "code"),
    [
        ("listener", "hello", "42501"),  # not the DJ's team
        ("dj", "x" * 281, "MSGLN"),
    ],
)
def test_an_announcement_is_refused_with_a_clear_code(live: LiveRoom, who: str, body: str, code: str) -> None:
    caller = live.member() if who == "listener" else live.dj
    with raises_code(code):
        live.api(caller, "announce", p_session_id=live.id, p_body=body)


def test_a_report_reaches_the_staff_lane_at_once_without_its_reporter(
    db: psycopg.Connection, live: LiveRoom, broadcasts: Broadcasts
) -> None:
    alice, troll = live.member(), live.member()
    line = live.say(troll, "spam spam")
    broadcasts.take()
    report_id = live.api(
        alice, "report_content", p_target_kind="message", p_target_id=line["id"], p_reason="spam"
    )
    [report] = broadcasts.take(f"staff:{live.id}")
    assert report.event == "report.created"
    assert report.data["id"] == report_id
    assert (report.data["target_message_id"], report.data["target_user_id"]) == (line["id"], str(troll.id))
    assert str(alice.id) not in str(report.payload), "the reporter is not named to the DJ"
    assert broadcasts.take(live.topic) == [], "listeners never see reports"
