"""A client that joins or reconnects gets the whole room in one call, then exactly what it
missed, in order, without depending on Realtime's 25-message replay."""

from __future__ import annotations

import psycopg
import pytest

from tests.support.api import Api, make_dj, make_session, raises_code
from tests.support.broadcasts import Broadcasts, validate
from tests.support.gotrue import create_user
from tests.support.postgrest import Identity, PostgrestError
from tests.support.rooms import LiveRoom


def test_the_snapshot_holds_everything_a_joining_client_needs(db: psycopg.Connection, live: LiveRoom) -> None:
    alice = live.member()
    first, second = live.request(alice, "t1")["item"], live.request(alice, "t2")["item"]
    live.control("play", first["id"])
    live.say(alice, "hello")
    db.execute("select private.refresh_presence()")
    snap = live.api(alice, "session_snapshot", p_session_id=live.id)
    last_seq = db.execute(
        "select last_seq from private.realtime_topics where topic = %s", (live.topic,)
    ).fetchone()
    assert (snap["seq"],) == last_seq
    assert snap["seq"] > 0
    assert snap["session"]["id"] == live.id
    assert snap["session"]["status"] == "live"
    assert snap["now_playing"]["item_id"] == first["id"]
    assert snap["now_playing"]["started_at"] is not None
    assert [q["item_id"] for q in snap["queue"]] == [second["id"]]
    assert [m["body"] for m in snap["chat"]] == ["hello"]
    assert snap["listeners"] == {"count": 1, "peak": 1}
    assert "invite_code" not in str(snap)


def test_events_since_returns_exactly_what_was_missed_in_pages(live: LiveRoom) -> None:
    alice = live.member()
    snap = live.api(alice, "session_snapshot", p_session_id=live.id)
    broadcasts = Broadcasts(live.api.conn)
    for i in range(5):
        live.say(alice if i % 2 else live.dj, f"m{i}")
    sent = broadcasts.take(live.topic)
    page = live.api(alice, "session_events_since", p_session_id=live.id, p_after_seq=snap["seq"], p_limit=3)
    assert [e["seq"] for e in page["events"]] == [s.seq for s in sent[:3]]
    assert page["has_more"] is True
    assert page["last_seq"] == sent[-1].seq
    assert page["resync_needed"] is False
    rest = live.api(
        alice, "session_events_since", p_session_id=live.id, p_after_seq=page["events"][-1]["seq"]
    )
    assert [e["data"]["body"] for e in rest["events"]] == ["m3", "m4"]
    assert rest["has_more"] is False
    for event in page["events"] + rest["events"]:
        validate("envelope", event)
    assert page["events"][0] == {k: v for k, v in sent[0].payload.items() if k != "id"}, "as broadcast"


def test_a_gap_older_than_the_retention_asks_for_a_snapshot(db: psycopg.Connection, live: LiveRoom) -> None:
    alice = live.member()
    for i in range(3):
        live.say(alice if i % 2 else live.dj, f"m{i}")
    db.execute(
        "update private.realtime_log set created_at = now() - interval '2 days' where topic = %s and seq = 1",
        (live.topic,),
    )
    assert db.execute("select private.realtime_prune()").fetchone() == (1,)
    stale = live.api(alice, "session_events_since", p_session_id=live.id, p_after_seq=0)
    assert (stale["events"], stale["has_more"], stale["resync_needed"]) == ([], False, True), (
        "a gap in the log: take a snapshot, there is nothing to page through"
    )
    fresh = live.api(alice, "session_events_since", p_session_id=live.id, p_after_seq=1)
    assert fresh["resync_needed"] is False
    assert [e["seq"] for e in fresh["events"]] == [2, 3]


def test_a_wholly_pruned_log_answers_resync_needed_never_has_more_without_events(
    db: psycopg.Connection, live: LiveRoom
) -> None:
    alice = live.member()
    for i in range(3):
        live.say(alice, f"m{i}")
    db.execute(
        "update private.realtime_log set created_at = now() - interval '2 days' where topic = %s",
        (live.topic,),
    )
    db.execute("select private.realtime_prune()")
    for call, args in (("session_events_since", {"p_after_seq": 1}), ("session_poll", {"p_after_seq": 1})):
        answer = live.api(alice, call, p_session_id=live.id, **args)
        assert answer["events"] == []
        assert answer["has_more"] is False
        assert answer["resync_needed"] is True
        assert answer["last_seq"] == 3


def test_a_client_ahead_of_the_log_is_told_to_resync(live: LiveRoom) -> None:
    alice = live.member()
    live.say(alice, "one")
    answer = live.api(alice, "session_events_since", p_session_id=live.id, p_after_seq=99)
    assert (answer["events"], answer["has_more"], answer["resync_needed"]) == ([], False, True)
    caught_up = live.api(alice, "session_events_since", p_session_id=live.id, p_after_seq=answer["last_seq"])
    assert (caught_up["events"], caught_up["has_more"], caught_up["resync_needed"]) == ([], False, False)


def test_only_those_who_may_see_a_room_can_resync_it(db: psycopg.Connection, api: Api) -> None:
    dj = make_dj(db)
    room = LiveRoom(api, dj, make_session(api, dj, p_visibility="private"))
    stranger = create_user(db)
    with raises_code("P0002", 404):
        api(stranger, "session_snapshot", p_session_id=room.id)
    with raises_code("42501", 403):
        api(stranger, "session_events_since", p_session_id=room.id, p_after_seq=0)
    with pytest.raises(PostgrestError) as anon:  # no grant to anon at all
        api(Identity.anon(), "session_snapshot", p_session_id=room.id)
    assert (anon.value.code, anon.value.status) == ("42501", 401)
    assert api(dj, "session_snapshot", p_session_id=room.id)["session"]["visibility"] == "private"


def test_my_events_since_replays_personal_events(live: LiveRoom) -> None:
    alice = live.member()
    handle = live.api.conn.execute(
        "select handle from public.profiles where id = %s", (alice.id,)
    ).fetchone()[0]  # type: ignore[index]
    live.say(live.dj, f"hey @{handle}")
    mine = live.api(alice, "my_events_since", p_after_seq=0)
    assert [e["event"] for e in mine["events"]] == ["notification"]
    assert mine["events"][0]["topic"] == f"user:{alice.id}"
    assert live.api(live.dj, "my_events_since", p_after_seq=0)["events"] == []
    with pytest.raises(PostgrestError) as anon:
        live.api(Identity.anon(), "my_events_since", p_after_seq=0)
    assert (anon.value.code, anon.value.status) == ("42501", 401)
