"""The event budget holds whatever the rooms: simulated minutes of realistic chat and votes in
rooms of 5 to 20,000 listeners, through the real triggers and flusher, counted as Realtime counts
delivered messages (a broadcast to N listeners is N + 1)."""

from __future__ import annotations

import psycopg
import pytest

from bench.realtime_budget import REFERENCE_ROOMS, Outcome, simulate
from tests.realtime.conftest import set_setting

pytestmark = pytest.mark.slow


def assert_within_limits(outcome: Outcome) -> None:
    for room in outcome.rooms:
        assert room.most_in_60s <= outcome.listener_budget_per_minute, (
            f"a listener of {room.listeners} got too many"
        )
        assert room.priority_delivered == room.priority_sent, (
            "the DJ and mentions of the DJ are never sampled out"
        )
        delivered = room.chat_immediate + room.chat_in_ticks
        assert delivered + room.chat_omitted == room.chat_sent, (
            "every message is delivered or counted as omitted"
        )
    assert outcome.delivered_per_second <= outcome.project_limit_per_second


def test_the_reference_mix_stays_within_every_limit(db: psycopg.Connection) -> None:
    outcome = simulate(db, REFERENCE_ROOMS, seconds=180)
    assert_within_limits(outcome)
    rooms = {room.listeners: room for room in outcome.rooms}
    for small in (5, 20):
        assert rooms[small].chat_immediate == rooms[small].chat_sent > 0, (
            "small rooms get every message at once"
        )
        assert rooms[small].ticks == 0
    for big in (1_000, 5_000, 20_000):
        assert rooms[big].chat_immediate == 0, "big rooms get chat in ticks"
    assert rooms[5_000].chat_omitted > 0, "past the bound, chat is sampled"
    # The bigger the room, the fewer (bigger) broadcasts: the cost per room stays bounded.
    per_room = [rooms[n].broadcasts for n in (200, 1_000, 5_000, 20_000)]
    assert per_room == sorted(per_room, reverse=True)
    assert rooms[20_000].broadcasts >= 180 // 30, "even the biggest room gets a tick every 30 s"
    # Rooms leave a margin (the safety factor) for personal events.
    assert outcome.delivered_per_second <= 0.85 * outcome.project_limit_per_second


@pytest.mark.parametrize("listeners", [10_000, 20_000])
def test_a_lone_huge_room_gets_the_project_budget(db: psycopg.Connection, listeners: int) -> None:
    outcome = simulate(db, (listeners,), seconds=120)
    assert_within_limits(outcome)
    [room] = outcome.rooms
    # 60 s x 2,500/s x 0.8 shared by listeners + 1 recipients, less the bucket's first token.
    per_minute = 60 * 2_500 * 0.8 / (listeners + 1)
    assert room.most_in_60s >= int(per_minute) - 1
    assert outcome.delivered_per_second > 0.5 * outcome.project_limit_per_second, (
        "the budget is used, not wasted"
    )


def test_many_small_rooms_share_a_tight_plan(db: psycopg.Connection) -> None:
    """More small rooms than the plan can serve at full rate: each gets an equal share, none
    exceeds it, and the project stays under its limit."""
    set_setting(db, "realtime_project_messages_per_second", 100)
    outcome = simulate(db, [30] * 12, seconds=120)
    assert_within_limits(outcome)
    quota = 60 * 100 * 0.8 / 12 / 31  # each room's equal share, per listener-minute
    assert max(room.most_in_60s for room in outcome.rooms) <= quota + 1
    assert all(room.ticks > 0 for room in outcome.rooms), "over budget, small rooms batch too"
