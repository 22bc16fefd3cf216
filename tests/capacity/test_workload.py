"""The reference month: its sessions add up to the listening it states, and measured figures
become usage the way the delivery lanes say (docs/capacity.md): push rooms fitted by size, pull
rooms' staff lanes and polls, personal events, pacing as the SQL computes it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from whatssound_svc.cli import app as cli
from whatssound_svc.lab.capacity import workload
from whatssound_svc.lab.simulate.plan import Rates


def _room(listeners: int, mode: str, minutes: float, delivered: float, **extra: Any) -> dict[str, Any]:
    return {"listeners": listeners, "mode": mode, "listener_minutes": minutes, "foreground_minutes": 0.5 * minutes,
            "delivered": delivered, "calls": extra.get("calls", {}), "response_bytes": extra.get("bytes", {})}  # fmt: skip


#: Two push rooms on the line 1 + 0.25 (N + 1) a listener-minute; two pull rooms (60 s stays) whose
#: staff lanes got 3 messages a chat line or request, and whose polls grew by 100 bytes per event a
#: second (10 and 40 events a second).
FIGURES: dict[str, Any] = {
    "listener_minutes": 700.0,
    "foreground_minutes": 350.0,
    "calls_by_kind": {"poll": 1_000},
    "per_listener_minute": {"rpcs": 4.0, "rpc_response_bytes": 2_000.0, "db_cpu_seconds": 0.004},
    "realtime": {"delivered": 2_000, "bytes_delivered": 600_000, "personal_delivered": 40},
    "rooms": [
        _room(10, "push", 100.0, 100.0 * (1 + 0.25 * 11)),
        _room(20, "push", 100.0, 100.0 * (1 + 0.25 * 21)),
        _room(
            100,
            "pull",
            100.0,
            3 * 50,
            calls={"chat": 40, "request": 10, "vote": 550, "poll": 500},
            bytes={"poll": 500 * (300 + 100 * 10)},
        ),
        _room(
            400,
            "pull",
            400.0,
            3 * 50,
            calls={"chat": 40, "request": 10, "vote": 2_350, "poll": 500},
            bytes={"poll": 500 * (300 + 100 * 40)},
        ),
    ],
}


def test_the_month_adds_up_to_18_million_listener_minutes_with_the_event_on_top() -> None:
    ref = workload.Reference()
    rooms = ref.rooms()
    assert len(rooms) == 8_000
    assert sum(lm for _, lm in rooms) == pytest.approx(18_000_000)
    assert rooms[0] == (10_000, 10_000 * 120)  # the event: 10,000 for the whole set
    sizes = sorted(n for n, _ in rooms[1:])
    assert 3 <= sizes[len(sizes) // 2] <= 8  # a median room of 15 people, a third of them at any time
    assert 0.2 < ref.attendance() < 0.3  # about half an hour of a two-hour set


def test_push_rooms_are_fitted_by_size_and_pull_rooms_by_their_lanes() -> None:
    per = workload.PerMinute.from_figures(FIGURES)
    design = workload.RealtimeDesign.from_settings(foreground_share=0.5)
    assert (per.push_base, per.push_per_listener) == (pytest.approx(1.0), pytest.approx(0.25))
    assert per.measured_foreground == pytest.approx(0.5)
    assert per.push_rate(15, design) == pytest.approx(1 + 0.25 * 16)
    assert per.push_rate(15, workload.RealtimeDesign.from_settings(foreground_share=0.25)) == pytest.approx(
        (1 + 0.25 * 16) / 2
    ), "fewer apps on screen, fewer subscribers"
    assert per.staff_per_event == pytest.approx(3.0)
    assert (per.poll_bytes_base, per.poll_bytes_per_event) == (pytest.approx(300), pytest.approx(100))
    assert per.personal == pytest.approx(40 / 700)
    assert per.rpcs == pytest.approx(4.0 - 1_000 / 700), "polls are priced on their own"
    rates = Rates()
    per_second = 1_000 * (rates.chat_for(1_000) + rates.vote + rates.request) / 60
    assert per.poll_bytes(1_000, rates) == pytest.approx(300 + 100 * per_second)


def test_pacing_is_the_sql_formula() -> None:
    design = workload.RealtimeDesign.from_settings(
        monthly_messages=27e6, listener_budget=60.0, min_budget=2.0
    )
    on_course = workload.pacing_budget(design, used=5e6, daily_messages=0.8e6, daily_unpaced=0.1e6,
                                       daily_subscriber_minutes=1e5, days_left=20)  # fmt: skip
    assert on_course == 60.0
    over = workload.pacing_budget(design, used=10e6, daily_messages=1e6, daily_unpaced=0.1e6,
                                  daily_subscriber_minutes=1e5, days_left=20)  # fmt: skip
    assert over == pytest.approx(0.9 * (27e6 - 10e6 - 0.1e6 * 20) / (1e5 * 20))
    assert workload.pacing_budget(design, used=26e6, daily_messages=1e6, daily_unpaced=0.5e6,
                                  daily_subscriber_minutes=1e5, days_left=20) == 2.0  # fmt: skip
    assert workload.pacing_budget(design, used=30e6, daily_messages=1e6, daily_unpaced=0,
                                  daily_subscriber_minutes=0, days_left=20) == 60.0, "no push rooms: nothing to pace"  # fmt: skip


def test_the_month_becomes_usage_and_peaks_lane_by_lane() -> None:
    per = workload.PerMinute.from_figures(FIGURES)
    ref = workload.Reference()
    design, rates = ref.design, Rates()
    month = workload.month(ref, per)
    rooms = ref.rooms()
    push = [(n, lm) for n, lm in rooms if n <= design.push_max]
    pull = [(n, lm) for n, lm in rooms if n > design.push_max]
    assert month.notes["push_messages"] == pytest.approx(sum(lm * per.push_rate(n, design) for n, lm in push))
    assert month.notes["staff_messages"] == pytest.approx(
        sum(lm * per.staff_rate(n, rates) for n, lm in pull)
    )
    assert month.notes["personal_messages"] == pytest.approx(18e6 * per.personal)
    assert month.usage.realtime_messages == pytest.approx(
        month.notes["push_messages"] + month.notes["staff_messages"] + month.notes["personal_messages"]
    )
    assert month.notes["push_listener_budget"] == design.listener_budget, (
        "the month fits: pacing holds no one back"
    )
    assert month.notes["polls"] == pytest.approx(
        sum(design.foreground_share * lm for _, lm in pull) * 60_000 / design.poll_ms
    )
    assert month.notes["polls_per_second_at_peak"] > 1_000 * design.foreground_share * 10_000 / design.poll_ms
    assert month.peaks.concurrent_connections == month.usage.realtime_peak_connections
    assert month.peaks.concurrent_connections < design.foreground_share * (ref.daily_peak + 10_000), (
        "crowds poll: they hold no channel"
    )
    assert month.usage.sms_otps == pytest.approx((5_000 + 2_000) * 0.10)
    assert month.notes["db_cores_at_peak"] == pytest.approx(0.004 * (ref.daily_peak + 10_000) / 60)


def test_over_budget_the_model_holds_push_rooms_to_the_paced_budget() -> None:
    per = workload.PerMinute.from_figures(FIGURES)
    tight = workload.Reference(design=workload.RealtimeDesign.from_settings(monthly_messages=5e6))
    month = workload.month(tight, per)
    budget = month.notes["push_listener_budget"]
    assert budget < tight.design.listener_budget
    assert month.notes["push_messages"] <= month.notes["push_subscriber_minutes"] * budget * (1 + 1e-9)


def test_the_reference_day_is_what_the_month_regime_seeds() -> None:
    day = workload.reference_usage_per_day({"baseline": FIGURES, "big_room": FIGURES})
    month = workload.month(workload.Reference(), workload.PerMinute.from_figures(FIGURES))
    assert day["daily_messages"] * workload.DAYS == pytest.approx(month.usage.realtime_messages)
    assert day["daily_paced"] * workload.DAYS == pytest.approx(month.notes["push_messages"])
    assert day["daily_listener_minutes"] * workload.DAYS == pytest.approx(18e6)


def test_whatssound_cost_prints_the_bill_from_figures(tmp_path: Path) -> None:
    figures = tmp_path / "figures.json"
    figures.write_text(json.dumps({"baseline": FIGURES, "big_room": FIGURES}))
    result = CliRunner().invoke(cli, ["cost", "--figures", str(figures), "--json"])
    assert result.exit_code == 0, result.output
    bill = json.loads(result.stdout)
    items = {line["item"]: line["cost"] for line in bill["lines"]}
    assert items["Pro plan"] == 25
    assert bill["total"] == pytest.approx(sum(items.values()))
    assert items["Realtime messages"] >= 0
