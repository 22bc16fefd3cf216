"""The reference month: its sessions add up to the listening it states, and measured figures
become usage the way the realtime design says (docs/capacity.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from whatssound_svc.capacity import workload
from whatssound_svc.cli import app as cli

FIGURES = {
    "workload": {"room_sizes": [40, 10], "duration_s": 120, "seed": 1},
    "per_listener_minute": {
        "rpcs": 3.5,
        "delivered_messages": 20.0,
        "egress_bytes": 10_000.0,
        "rpc_response_bytes": 1_000.0,
        "db_cpu_seconds": 0.004,
    },
    "realtime": {"delivered": 1_000, "bytes_delivered": 300_000},
    "rooms": [
        {"listeners": 40, "listener_minutes": 80.0, "delivered": 80.0 * (2 + 0.5 * 41)},
        {"listeners": 10, "listener_minutes": 20.0, "delivered": 20.0 * (2 + 0.5 * 11)},
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


def test_measured_rooms_are_fitted_per_listener_minute_and_the_design_caps_big_rooms() -> None:
    per = workload.PerMinute.from_figures(FIGURES)
    assert (per.base, per.per_listener) == (pytest.approx(2.0), pytest.approx(0.5))
    everyone = workload.RealtimeDesign(
        immediate_max=50, big_room_per_minute=6, foreground_share=1.0, monthly_messages=None
    )
    assert per.delivered(20, everyone) == pytest.approx(2 + 0.5 * 21)
    assert per.delivered(1_000, everyone) == 6  # ticks
    foreground = workload.RealtimeDesign(
        immediate_max=50, big_room_per_minute=6, foreground_share=0.4, monthly_messages=None
    )
    assert per.delivered(20, foreground) == pytest.approx(2 * 0.4 + 0.5 * (0.4 * 20 + 1))
    assert per.delivered(1_000, foreground) == pytest.approx(6 * 0.4)


def test_pacing_leaves_big_rooms_what_small_rooms_and_personal_events_do_not_spend() -> None:
    per = workload.PerMinute.from_figures(FIGURES)
    ref = workload.Reference()  # rooms up to 20 at once, 27 M a month, 40 % in the foreground
    rooms = ref.rooms()
    design = workload.paced(ref, per, rooms)
    small = sum(lm * per.delivered(n, design) for n, lm in rooms if n <= 20)
    big = 0.4 * sum(lm for n, lm in rooms if n > 20)
    assert design.big_room_per_minute == pytest.approx((27e6 - small - 18e6 * 0.02) / big)
    month = workload.month(ref, per)
    assert month.usage.realtime_messages == pytest.approx(27e6)  # what pacing spends
    starved = workload.paced(
        workload.Reference(design=workload.RealtimeDesign(monthly_messages=1e6)), per, rooms
    )
    assert starved.big_room_per_minute == 2.0  # the floor: rooms stay alive, the bill goes over


def test_the_month_becomes_usage_and_peaks() -> None:
    per = workload.PerMinute.from_figures(FIGURES)
    ref = workload.Reference(design=workload.RealtimeDesign(foreground_share=0.5, monthly_messages=None))
    month = workload.month(ref, per)
    assert month.usage.realtime_peak_connections == round((1_500 + 10_000) * 0.5)
    assert month.peaks.concurrent_connections == month.usage.realtime_peak_connections
    assert month.usage.sms_otps == pytest.approx((5_000 + 2_000) * 0.10)
    realtime = sum(lm * per.delivered(n, ref.design) * 300 for n, lm in ref.rooms())
    assert month.usage.egress_gb == pytest.approx(
        (1_000 * 18e6 + realtime) / 1e9 + 300_000 * 0.01 * 57.6 / 1000
    )
    assert month.notes["db_cores_at_peak"] == pytest.approx(0.004 * 11_500 / 60)


def test_whatssound_cost_prints_the_bill_from_figures(tmp_path: Path) -> None:
    figures = tmp_path / "figures.json"
    figures.write_text(json.dumps({"baseline": FIGURES, "big_room": FIGURES}))
    result = CliRunner().invoke(cli, ["cost", "--figures", str(figures), "--json"])
    assert result.exit_code == 0, result.output
    bill = json.loads(result.stdout)
    items = {line["item"]: line["cost"] for line in bill["lines"]}
    assert items["Pro plan"] == 25
    assert bill["total"] == pytest.approx(sum(items.values()))
    assert items["Realtime messages"] > 0
