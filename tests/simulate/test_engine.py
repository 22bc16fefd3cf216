"""The simulator on tiny, hand-written runs: every action is one RPC of its kind, refusals are
sorted into intended and unexpected, and delivered messages are counted as Supabase bills them
(each broadcast: its recipients + 1)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.conftest import FreshDb
from whatssound_svc.cli import app as cli
from whatssound_svc.lab.simulate import engine, plan, report
from whatssound_svc.lab.simulate.plan import Action


def simulate(db: FreshDb, sizes: tuple[int, ...], actions: list[Action], duration_s: float) -> dict[str, Any]:
    workload = plan.Workload(room_sizes=sizes, duration_s=duration_s, seed=1)
    run = asyncio.run(engine.execute(db.url(), workload, actions=actions))
    return report.summarise(db.url(), run, actions)


def test_known_actions_give_exact_calls_events_and_delivered_messages(fresh_db: FreshDb) -> None:
    actions = [
        Action(0.0, 0, 0, "join"), Action(0.05, 0, 1, "join"), Action(0.1, 0, 2, "join"),
        Action(0.5, 0, 0, "chat"), Action(0.6, 0, 1, "vote"), Action(0.8, 0, 2, "leave"),
    ]  # fmt: skip
    figures = simulate(fresh_db, (3,), actions, 1.5)

    assert figures["calls_by_kind"] == {"chat": 1, "join": 3, "leave": 1, "snapshot": 3, "vote": 1}
    assert figures["errors"] == {}
    assert figures["listener_minutes"] == pytest.approx((1.5 + 1.45 + 0.7) / 60, abs=0.01)
    with fresh_db.connect() as conn:
        logged = conn.execute(
            "select event from private.realtime_log where topic like 'session:%%' and event = 'chat.message'"
        ).fetchall()
    assert logged == [("chat.message",)]
    room = figures["rooms"][0]
    # the chat went to the DJ and three listeners (4 subscribers: 5 messages); listener 2 had
    # left before anything later was sent
    realtime = figures["realtime"]
    realtime["emitted_by_event"].pop("presence.count", None)  # the presence refresh: when it runs
    realtime["delivered_by_event"].pop("presence.count", None)
    assert realtime["emitted_by_event"] == {"chat.message": 1, "queue.votes": 1, "session.status": 1}
    # the chat and the new tally each went to the DJ and three listeners (4 + 1 messages); the set's
    # end, after listener 2 had left, to the DJ and two (3 + 1)
    assert realtime["delivered_by_event"] == {"chat.message": 5, "queue.votes": 5, "session.status": 4}
    assert realtime["delivered"] >= 14
    assert realtime["delivered"] == room["delivered"]
    assert figures["per_listener_minute"]["delivered_messages"] == pytest.approx(
        figures["realtime"]["delivered"] / figures["listener_minutes"], rel=0.01
    )


def test_a_timed_out_listener_is_refused_as_intended_not_as_an_error(fresh_db: FreshDb) -> None:
    actions = [Action(0.0, 0, 0, "join"), Action(0.3, 0, -2, "moderate"), Action(0.8, 0, 0, "chat")]
    figures = simulate(fresh_db, (20,), actions, 1.2)
    assert figures["calls_by_kind"] == {"chat": 1, "join": 1, "moderate": 1, "snapshot": 1}
    assert figures["errors"] == {"TMOUT": 1}
    assert figures["unexpected_errors"] == {}
    assert figures["realtime"]["emitted_by_event"].get("moderation.applied") == 1


@pytest.mark.parametrize("quiet", [True, False])
def test_whatssound_simulate_shows_the_rooms_and_writes_the_figures(
    fresh_db: FreshDb, tmp_path: Any, quiet: bool
) -> None:
    out = tmp_path / "sim.json"
    args = ["simulate", "--rooms", "4,2", "--duration", "3", "--ramp", "1", "--out", str(out),
            "--db-url", fresh_db.url(), *(["--quiet"] if quiet else [])]  # fmt: skip
    result = CliRunner().invoke(cli, args, env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "Summary" in result.output
    if not quiet:
        assert "WhatsSound simulator" in result.output  # the live view
    figures = json.loads(out.read_text())
    assert figures["calls_by_kind"]["join"] == 6
    assert [r["listeners"] for r in figures["rooms"]] == [4, 2]


def test_the_cast_signs_out_after_a_run_leaving_the_databases_own_users(fresh_db: FreshDb) -> None:
    with fresh_db.connect() as conn:
        before = conn.execute("select count(*) from auth.users").fetchone()
    workload = plan.Workload(room_sizes=(3, 20), duration_s=0.5, seed=1)
    actions = [Action(0.0, 0, 0, "join"), Action(0.1, 0, 0, "chat"), Action(0.2, 1, 0, "join")]
    run = asyncio.run(engine.execute(fresh_db.url(), workload, actions=actions))
    report.summarise(fresh_db.url(), run, actions)
    assert engine.sign_out(fresh_db.url(), run) == 3 + 20 + 2 + 1  # listeners, DJs, the big room's moderator
    with fresh_db.connect() as conn:
        assert conn.execute("select count(*) from auth.users").fetchone() == before
        assert conn.execute("select count(*) from public.dj_sessions").fetchone() == (0,)
