"""The simulator's schedule: reproducible from its seed, people act only while present, rates and
room sizes as documented."""

from __future__ import annotations

from collections import Counter

import pytest

from whatssound_svc.lab.simulate import plan


def test_the_same_seed_gives_the_same_actions_and_another_seed_others() -> None:
    w = plan.Workload(room_sizes=(30, 5), duration_s=300, seed=3)
    assert plan.schedule(w) == plan.schedule(plan.Workload(room_sizes=(30, 5), duration_s=300, seed=3))
    assert plan.schedule(w) != plan.schedule(plan.Workload(room_sizes=(30, 5), duration_s=300, seed=4))


def test_listeners_act_only_while_present_and_heartbeat_every_30_s() -> None:
    actions = plan.schedule(plan.Workload(room_sizes=(40,), duration_s=1800, seed=5))
    for actor in range(40):
        mine = [a for a in actions if a.actor == actor]
        present, last_beat = False, None
        for a in mine:
            if a.kind == "join":
                assert not present
                present, last_beat = True, None
            elif a.kind == "leave":
                assert present
                present = False
            else:
                assert present, f"{a.kind} at {a.at:.0f} s while away"
                if a.kind == "heartbeat":
                    assert last_beat is None or a.at - last_beat == pytest.approx(30)
                    last_beat = a.at


def test_rates_are_per_listener_minute_with_chat_thinner_per_head_in_big_rooms() -> None:
    rates = plan.Rates(drop=0)
    kinds = Counter(a.kind for a in plan.schedule(plan.Workload(room_sizes=(200,), duration_s=600, ramp_s=0,
                                                                seed=2, rates=rates)))  # fmt: skip
    minutes = 200 * 10
    assert kinds["vote"] / minutes == pytest.approx(0.15, rel=0.1)
    assert kinds["request"] / minutes == pytest.approx(0.025, rel=0.3)
    assert kinds["chat"] / minutes == pytest.approx(0.2 * (20 / 200) ** 0.5, rel=0.15)
    assert rates.chat_for(10) == 0.2
    assert rates.chat_for(10_000) * 10_000 / 60 == pytest.approx(1.49, abs=0.01)  # 1.5 messages/s in the room
    assert rates.chat_for(1_000_000) * 1_000_000 / 60 == pytest.approx(5.0)  # the room's cap
    assert kinds["advance"] == 600 // 180 or kinds["advance"] == 600 // 180 + 1
    assert kinds["moderate"] == 1


def test_room_sizes_are_heavy_tailed_around_a_median_of_15() -> None:
    sizes = plan.heavy_tailed_sizes(10_000, seed=1)
    assert sorted(sizes)[5_000] == pytest.approx(15, abs=2)
    above = sum(s > 1_000 for s in sizes) / len(sizes)
    assert 0.006 < above < 0.014
