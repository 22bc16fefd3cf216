"""The delivery lanes hold whatever the rooms: simulated minutes of realistic chat and votes in
rooms of 5 to 20,000 listeners, through the real triggers and flusher, counted as Realtime counts
delivered messages (a broadcast to N subscribers is N + 1; a crowd's polled frames are free)."""

from __future__ import annotations

import psycopg
import pytest

from tests.realtime.budget_sim import REFERENCE_ROOMS, Outcome, foreground, simulate
from tests.realtime.conftest import set_setting

pytestmark = pytest.mark.slow

#: Supabase's documented broadcast payload limit on the Free plan (Pro: 3,000 KB).
PAYLOAD_LIMIT = 256 * 1024


def assert_within_limits(outcome: Outcome, burst: int = 10) -> None:
    for room in outcome.rooms:
        assert room.most_in_60s <= outcome.listener_budget_per_minute + burst, (
            f"a listener of {room.listeners} got too many"
        )
        assert room.priority_delivered == room.priority_sent, (
            "the DJ and mentions of the DJ are never sampled out"
        )
        delivered = room.chat_immediate + room.chat_in_ticks
        assert delivered + room.chat_omitted == room.chat_sent, (
            "every message is delivered or counted as omitted"
        )
        if room.mode == "pull":
            assert room.staff_chat == room.chat_sent, "the DJ's team gets every line of a crowd"
        assert room.largest_tick_bytes < PAYLOAD_LIMIT
    # Supabase documents no window for its 2,500 messages/s: no second may exceed it.
    assert outcome.most_delivered_in_1s <= outcome.project_limit_per_second


def test_the_reference_mix_stays_within_every_limit(db: psycopg.Connection) -> None:
    outcome = simulate(db, REFERENCE_ROOMS, seconds=120)
    assert_within_limits(outcome)
    rooms = {room.listeners: room for room in outcome.rooms}
    for small in (5, 20):
        assert rooms[small].mode == "push"
        assert rooms[small].chat_immediate == rooms[small].chat_sent > 0, (
            "small rooms get every message at once"
        )
        assert rooms[small].ticks == rooms[small].frames == 0
    for big in (50, 200, 1_000, 5_000, 20_000):
        room = rooms[big]
        assert room.mode == "pull"
        assert room.chat_immediate == 0
        assert room.broadcasts == 0, "a crowd is never broadcast to (it was told it is a pull room before)"
        assert room.frames > 0
        assert max(room.chat_delays) <= 1, "every line in the next frame"
    # Had the crowds' frames been broadcast to their foreground apps, they would have cost this:
    pushed = sum(r.frames * (foreground(r.listeners) + 1) for r in outcome.rooms if r.mode == "pull")
    assert outcome.delivered < 0.01 * pushed, "polled, crowds cost a hundredth (their staff lanes)"
    assert outcome.most_delivered_in_1s <= 0.8 * outcome.project_limit_per_second


@pytest.mark.parametrize("listeners", [10_000, 20_000])
def test_a_lone_huge_room_is_read_not_broadcast(db: psycopg.Connection, listeners: int) -> None:
    outcome = simulate(db, (listeners,), seconds=60)
    assert_within_limits(outcome)
    [room] = outcome.rooms
    assert room.mode == "pull"
    assert room.frames >= 55
    assert room.staff_chat == room.chat_sent > 0
    assert outcome.most_delivered_in_1s < 100, "the staff lane and the DJ's notifications only"


def test_many_small_rooms_share_a_tight_plan(db: psycopg.Connection) -> None:
    """More push rooms than the plan can serve at full rate: each gets an equal share, none
    exceeds it (plus its burst), and they batch rather than break the project's limit on average.
    (Bursts cannot be bounded per second here: 12 rooms x 10 recipients exceed what the safety
    factor leaves of a 100-message second; at L = 2,500 that takes 500 push subscribers.)"""
    set_setting(db, "realtime_project_messages_per_second", 100)
    outcome = simulate(db, [20] * 12, seconds=90)
    for room in outcome.rooms:
        assert room.chat_immediate + room.chat_in_ticks + room.chat_omitted == room.chat_sent
    assert outcome.delivered_per_second <= 0.85 * outcome.project_limit_per_second
    quota = 60 * 100 * 0.8 / 12 / 10  # each room's equal share per minute (9 subscribers + 1)
    assert max(room.most_in_60s for room in outcome.rooms) <= quota + quota / 6 + 1
    assert all(room.ticks > 0 for room in outcome.rooms), "over budget, small rooms batch"
