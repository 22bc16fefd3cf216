"""The cdn lane: a huge public room's apps read its events as per-slot files (private.cdn_cut is
what the publisher stores), from the same sequence numbers as a poll, losing nothing across a
switch; private rooms and a stopped publisher keep (or put) rooms on the pull lane."""

from __future__ import annotations

import json
import time
from typing import Any

import psycopg
import pytest

from tests.realtime.conftest import Clock, flush, set_setting
from tests.support.api import make_dj, make_session
from tests.support.broadcasts import Broadcast, Broadcasts, Poller, validate
from tests.support.gotrue import create_user
from tests.support.rooms import LiveRoom

BASE_URL = "https://ref.supabase.co/storage/v1/object/public/live-frames"
SLOT_MS = 20


def lane_on(db: psycopg.Connection, *, cdn_min: int = 3, cdn_exit: int = 2) -> None:
    """Thresholds small enough for a test, the lane's URL set and its publisher alive."""
    set_setting(db, "realtime_push_max_listeners", 1)
    set_setting(db, "realtime_pull_min_listeners", 2)
    set_setting(db, "realtime_cdn_min_listeners", cdn_min)
    set_setting(db, "realtime_cdn_exit_listeners", cdn_exit)
    set_setting(db, "realtime_cdn_base_url", BASE_URL)
    set_setting(db, "realtime_cdn_slot_ms", SLOT_MS)
    db.execute("select private.cdn_alive()")


def mode_of(db: psycopg.Connection, room: LiveRoom) -> str:
    row = db.execute(
        "select delivery from private.realtime_topics where topic = %s", (room.topic,)
    ).fetchone()
    assert row is not None
    return str(row[0])


def present(db: psycopg.Connection) -> None:
    db.execute("select private.refresh_presence()")
    flush(db)


def cut(db: psycopg.Connection) -> list[tuple[str, str, dict[str, Any]]]:
    """What the publisher would store once the slot in progress has ended: (bucket, key, file),
    each file checked against the catalogue (cdn-frame, and every envelope in it)."""
    time.sleep(SLOT_MS / 1000 * 1.5)
    files = []
    for _topic, _slot, bucket, key, body in db.execute(
        "select topic, slot, bucket, object_key, body from private.cdn_cut()"
    ).fetchall():
        frame = json.loads(body)
        validate("cdn-frame", frame)
        for envelope in frame["events"]:
            validate("envelope", envelope)
            validate(envelope["event"], envelope["data"])
        files.append((bucket, key, frame))
    return files


class FileReader:
    """An app in a cdn room: it applies each file's envelopes after its last seq; a file that starts
    past its last seq would mean a gap (it would poll first)."""

    def __init__(self, last_seq: int) -> None:
        self.last_seq = last_seq
        self.applied: list[Broadcast] = []

    def read(self, frame: dict[str, Any]) -> list[Broadcast]:
        assert frame["from_seq"] <= self.last_seq, (
            f"file from {frame['from_seq']}, app at {self.last_seq}: a gap"
        )
        fresh = []
        for e in frame["events"]:
            if e["seq"] > self.last_seq:
                assert e["seq"] == self.last_seq + 1
                self.last_seq = e["seq"]
                fresh.append(Broadcast(e["topic"], e["event"], e["seq"], e["data"], e))
        assert self.last_seq == frame["to_seq"]
        self.applied += fresh
        return fresh


def test_a_huge_public_room_is_read_from_files_and_its_apps_lose_nothing(
    db: psycopg.Connection, live: LiveRoom, clock: Clock
) -> None:
    lane_on(db)
    first, second = live.member(), live.member()
    present(db)
    assert mode_of(db, live) == "pull"
    poller = Poller(live.api, first, live.id)
    poller.poll()
    broadcasts = Broadcasts(db)
    live.member()
    present(db)
    assert mode_of(db, live) == "cdn"
    [switch] = [b for b in poller.poll() if b.event == "delivery"]
    assert switch.data["mode"] == "cdn"
    assert switch.data["poll_ms"] == 900
    cdn = switch.data["cdn"]
    assert cdn["url"] == f"{BASE_URL}/{live.id}"
    assert cdn["slot_ms"] == SLOT_MS
    assert cdn["lag_ms"] == 300
    assert poller.mode == "cdn"
    snap = live.api(second, "session_snapshot", p_session_id=live.id)
    assert snap["delivery"]["mode"] == "cdn"
    assert snap["delivery"]["cdn"]["url"] == cdn["url"]

    # The app follows the files from the seq it had; chat waits for the flush's frame, an
    # announcement is in the next file at once.
    reader = FileReader(poller.last_seq)
    live.say(second, "one")
    live.say(first, "two")
    live.api(live.dj, "announce", p_session_id=live.id, p_body="doors at 10")
    files = cut(db)
    assert {(b, k.split("/")[0]) for b, k, _ in files} == {("live-frames", live.id)}
    assert files[0][2]["slot"] >= cdn["slot"]
    fresh = [b for _, _, frame in files for b in reader.read(frame)]
    assert [b.event for b in fresh] == ["session.announcement"]
    assert fresh[0].data["body"] == "doors at 10"
    clock.advance(1)
    flush(db)
    files = cut(db)
    assert [k for _, k, _ in files] == [f"{live.id}/{frame['slot']}.json" for _, _, frame in files]
    [tick] = [b for _, _, frame in files for b in reader.read(frame)]
    assert tick.event == "tick"
    assert [m["body"] for m in tick.data["chat"]] == ["one", "two"]

    # A quiet slot still has its file (an app never waits on a file that will not come), empty.
    last_slot = files[-1][2]["slot"]
    for _, _, quiet in cut(db):
        assert quiet["events"] == []
        assert quiet["from_seq"] == quiet["to_seq"] == reader.last_seq
        assert quiet["slot"] == last_slot + 1
        last_slot += 1
    assert db.execute("select private.cdn_cut()").fetchall() == [], "a slot is cut once"
    assert broadcasts.take(live.topic) == [], "a cdn room is never broadcast to"


def test_private_rooms_and_a_lane_without_its_url_stay_on_the_pull_lane(
    db: psycopg.Connection, live: LiveRoom
) -> None:
    lane_on(db)
    hidden = LiveRoom(live.api, dj := make_dj(db), make_session(live.api, dj, p_visibility="followers"))
    for _ in range(3):
        live.member()
        follower = create_user(db, "phone")
        live.api(follower, "follow", p_user_id=dj.id)
        live.api(follower, "join_session", p_session_id=hidden.id)
    present(db)
    assert (mode_of(db, live), mode_of(db, hidden)) == ("cdn", "pull"), "a public bucket is for public rooms"
    set_setting(db, "realtime_cdn_base_url", "")
    present(db)
    assert mode_of(db, live) == "pull", "no URL: no lane"


def test_when_the_publisher_stops_its_rooms_go_back_to_polls_and_lose_nothing(
    db: psycopg.Connection, live: LiveRoom, clock: Clock
) -> None:
    lane_on(db)
    members = [live.member() for _ in range(3)]
    present(db)
    files = [frame for _, _, frame in cut(db)]
    reader = FileReader(files[0]["from_seq"])
    for frame in files:
        reader.read(frame)
    db.execute("update private.cdn_lane set stored_at = clock_timestamp() - interval '1 minute'")
    live.say(members[0], "while the files stopped")
    clock.advance(1)
    flush(db)
    assert mode_of(db, live) == "pull"
    assert cut(db) == [], "no more files"
    # The app finds its next file missing: it polls from its last seq and follows the mode.
    poller = Poller(live.api, members[1], live.id, after_seq=reader.last_seq)
    events = poller.poll()
    assert poller.mode == "pull"
    assert [b.event for b in events if b.event in ("tick", "delivery")] == ["delivery", "tick"]
    assert [m["body"] for b in events if b.event == "tick" for m in b.data["chat"]] == [
        "while the files stopped"
    ]
    db.execute("select private.cdn_alive()")
    present(db)
    assert mode_of(db, live) == "cdn", "the lane is back: so is the room"


def test_a_room_between_the_thresholds_keeps_its_mode(db: psycopg.Connection, live: LiveRoom) -> None:
    lane_on(db, cdn_min=4, cdn_exit=2)
    members = [live.member() for _ in range(4)]
    present(db)
    assert mode_of(db, live) == "cdn"
    for member, mode in zip(members[:2], ["cdn", "pull"], strict=True):
        live.api(member, "leave_session", p_session_id=live.id)
        present(db)
        assert mode_of(db, live) == mode


@pytest.mark.parametrize("behind", [3, 0])
def test_a_file_past_the_catch_up_limit_carries_nothing_and_asks_for_a_poll(
    db: psycopg.Connection, live: LiveRoom, behind: int
) -> None:
    lane_on(db)
    set_setting(db, "realtime_poll_catchup_max", 3)
    for _ in range(3):
        live.member()
    present(db)
    cut(db)
    for n in range(behind + 1):
        live.api(live.dj, "announce", p_session_id=live.id, p_body=f"note {n}")
    *empty, (_, _, frame) = cut(db)
    assert all(f["events"] == [] for _, _, f in empty)
    assert frame["to_seq"] - frame["from_seq"] == behind + 1
    if behind + 1 > 3:
        assert frame["events"] == [], "too many for a file: poll"
        assert frame["resync_needed"]
    else:
        assert len(frame["events"]) == behind + 1
        assert not frame["resync_needed"]


def test_files_past_their_keep_are_listed_for_deletion_then_forgotten(
    db: psycopg.Connection, live: LiveRoom
) -> None:
    lane_on(db)
    for _ in range(3):
        live.member()
    present(db)
    files = cut(db)
    assert db.execute("select * from private.cdn_expired(10)").fetchall() == [], "kept 10 minutes"
    set_setting(db, "realtime_cdn_keep_minutes", 0)
    expired = db.execute("select topic, slot, bucket, object_key from private.cdn_expired(10)").fetchall()
    assert expired == [(live.topic, frame["slot"], "live-frames", key) for _, key, frame in files]
    slots = [frame["slot"] for _, _, frame in files]
    gone = db.execute("select private.cdn_forget(%s, %s)", ([live.topic] * len(slots), slots)).fetchone()
    assert gone == (len(slots),)
    assert db.execute("select * from private.cdn_expired(10)").fetchall() == []


def test_a_late_round_also_cuts_the_slots_it_missed(db: psycopg.Connection, live: LiveRoom) -> None:
    lane_on(db)
    for _ in range(3):
        live.member()
    present(db)
    [(_, _, first)] = cut(db)
    live.api(live.dj, "announce", p_session_id=live.id, p_body="late")
    time.sleep(SLOT_MS / 1000 * 2)  # the publisher was busy for two more slots
    files = [frame for _, _, frame in cut(db)]
    assert [f["slot"] for f in files] == list(range(first["slot"] + 1, first["slot"] + 1 + len(files)))
    assert len(files) >= 3, "every slot since the last file has one"
    reader = FileReader(first["to_seq"])
    for frame in files:
        reader.read(frame)
    assert [b.data["body"] for b in reader.applied] == ["late"], "in the last one, once"
