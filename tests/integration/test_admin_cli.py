"""The operator's commands against a real database: output asserted, --json parsed, and every
command documented with an example."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import typer
from typer.main import get_command
from typer.testing import CliRunner

from tests.conftest import FreshDb
from tests.push import fake_expo
from tests.support.api import Api, make_dj, make_session
from tests.support.gotrue import create_user
from tests.support.postgrest import PostgrestError
from tests.support.rooms import LiveRoom
from whatssound_svc.cli import app as cli

#: What every timestamp in --json looks like: ISO 8601 with the `T` and the UTC offset.
ISO_8601 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d")


class Ops:
    def __init__(self, db: FreshDb) -> None:
        self.conn = db.connect("supabase_admin")
        self.api = Api(self.conn)
        self.env = {"DATABASE_URL": db.url(), "COLUMNS": "200"}

    def run(self, *args: str, code: int = 0) -> str:
        result = CliRunner().invoke(cli, list(args), env=self.env)
        assert result.exit_code == code, result.output
        return result.output

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args, "--json"))


@pytest.fixture
def ops(fresh_db: FreshDb) -> Iterator[Ops]:
    operator = Ops(fresh_db)
    try:
        yield operator
    finally:
        operator.conn.close()


def test_find_show_ban_and_unban_a_user(ops: Ops) -> None:
    dj = make_dj(ops.conn)
    room = LiveRoom(ops.api, dj, make_session(ops.api, dj))
    troll = room.member()
    handle = ops.conn.execute("select handle from public.profiles where id = %s", (troll.id,)).fetchone()[0]  # type: ignore[index]
    [found] = ops.json("users", "find", handle)
    assert found["id"] == str(troll.id)
    shown = ops.json("users", "show", str(troll.id))
    assert (shown["handle"], shown["banned_until"], shown["chat_messages"]) == (handle, None, 0)
    assert "banned" in ops.run("users", "ban", str(troll.id), "--reason", "spam network", "--yes")
    with pytest.raises(PostgrestError) as refused:
        ops.api(troll, "join_session", p_session_id=room.id)
    assert refused.value.code == "SUSPD"
    left = ops.conn.execute(
        "select left_at is not null from public.session_members where user_id = %s", (troll.id,)
    )
    assert left.fetchone() == (True,)
    banned_until = ops.json("users", "show", str(troll.id))["banned_until"]
    assert banned_until.startswith("21") or banned_until.startswith("22")  # now + 876000 h, as GoTrue writes
    assert ops.run("users", "unban", str(troll.id)).startswith("unbanned")
    ops.api(troll, "join_session", p_session_id=room.id)
    assert room.say(troll, "back")["body"] == "back"
    assert "is not banned" in ops.run("users", "unban", str(troll.id), code=3)
    assert "no user" in ops.run("users", "show", str(uuid.uuid4()), code=3)


def test_live_sessions_and_ending_one(ops: Ops) -> None:
    dj = make_dj(ops.conn)
    session = make_session(ops.api, dj, p_title="Late set")
    [live] = ops.json("sessions", "live")
    assert (live["id"], live["title"]) == (session["id"], "Late set")
    assert ops.run("sessions", "end", session["id"], "--yes").startswith(f"ended {session['id']}")
    assert ops.json("sessions", "live") == []
    assert "no live session" in ops.run("sessions", "end", session["id"], "--yes", code=3)


def test_stats_and_the_reports_queue(ops: Ops) -> None:
    dj = make_dj(ops.conn)
    room = LiveRoom(ops.api, dj, make_session(ops.api, dj))
    fan = room.member()
    message = room.say(fan, "hello")
    ops.api(
        create_user(ops.conn),
        "report_content",
        p_target_kind="message",
        p_target_id=message["id"],
        p_reason="spam",
    )
    stats = json.loads(ops.run("stats", "--json"))
    assert (stats["live_sessions"], stats["messages_last_minute"], stats["jobs_failed"]) == (1, 1, 0)
    assert all(type(v) is int for k, v in stats.items() if k != "tipped_today"), stats  # numbers, not "0"
    assert stats["tipped_today"] == {}
    [report] = ops.json("moderation", "reports")
    assert (report["kind"], report["target"], report["reports_on_target"]) == ("message", message["id"], 1)
    assert ISO_8601.fullmatch(report["created_at"]), report["created_at"]
    assert ops.json("moderation", "reports", "--status", "dismissed") == []


def test_a_test_push_and_what_a_user_received(ops: Ops, environ: Callable[..., None]) -> None:
    user = create_user(ops.conn)
    for n in (1, 2):
        ops.api(user, "register_push_device", p_token=fake_expo.token(f"ops{n}"), p_platform="ios")
    with fake_expo.running() as expo:
        expo.unregistered.add(fake_expo.token("ops1"))
        environ(WHATSSOUND_PUSH_EXPO_URL=expo.url)
        tickets = ops.json("push", "test", str(user.id))
    assert sorted(t["ticket"] for t in tickets) == ["error", "ok"]
    devices = {d["token"]: d for d in ops.json("push", "devices", str(user.id))}
    assert devices[fake_expo.token("ops1")]["deactivated_reason"] == "DeviceNotRegistered"
    ops.conn.execute("select private.notify(%s, 'new_follower', 'nf:1', null)", (user.id,))
    [delivery] = ops.json("push", "deliveries", str(user.id))
    assert (delivery["kind"], delivery["status"]) == ("new_follower", "queued")


def test_json_output_has_numbers_timestamps_and_nulls_of_the_right_types(ops: Ops) -> None:
    dj = make_dj(ops.conn)
    session = make_session(ops.api, dj, p_title="Typed")
    [live] = ops.json("sessions", "live")
    assert (type(live["listeners"]), live["title"]) == (int, "Typed")
    assert ISO_8601.fullmatch(live["started_at"]), live["started_at"]
    ops.conn.execute(
        "insert into private.webhook_events (provider, event_id, event_type, livemode, provider_created_at,"
        " payload, next_attempt_at, attempts, last_error)"
        " values ('stripe', 'evt_typed', 'invoice.paid', false, now(), '{}', now() + interval '1 hour', 2,"
        " 'HTTP 503')"
    )
    [pending] = ops.json("webhooks", "pending")
    assert (pending["event_id"], pending["attempts"], pending["last_error"]) == ("evt_typed", 2, "HTTP 503")
    assert ISO_8601.fullmatch(pending["next_attempt_at"]), pending["next_attempt_at"]
    [stored] = ops.json("webhooks", "list", "--provider", "stripe")
    assert (stored["handled"], stored["deliveries"]) == (False, 1)
    assert ISO_8601.fullmatch(stored["received_at"]), stored["received_at"]
    assert ops.json("webhooks", "list", "--provider", "revenuecat") == []
    budget = ops.json("events", "budget")
    assert type(budget["used"]) is int
    assert isinstance(budget["listener_budget"], float)
    assert budget["daily_messages"] is None  # no history yet: null, never "None"
    assert ISO_8601.fullmatch(budget["cycle_start"]), budget["cycle_start"]
    assert "None" not in ops.run("events", "budget")
    states = {m["state"] for m in ops.json("db", "status")}
    assert states == {"applied"}
    handle = ops.conn.execute("select handle from public.profiles where id = %s", (dj.id,)).fetchone()[0]  # type: ignore[index]
    [found] = ops.json("users", "find", handle)
    assert (found["id"], found["banned_until"]) == (str(dj.id), None)
    assert ISO_8601.fullmatch(found["created_at"]), found["created_at"]
    assert ops.json("jobs", "failed") == []
    assert session["id"] in ops.run("sessions", "live")


def test_destructive_commands_dry_run_and_refuse_without_yes(ops: Ops) -> None:
    dj = make_dj(ops.conn)
    room = LiveRoom(ops.api, dj, make_session(ops.api, dj, p_title="Keep me"))
    troll = room.member()
    dry = ops.run("sessions", "end", room.id, "--dry-run")
    assert dry.startswith(f"would end {room.id} (Keep me, ")
    assert "no terminal" not in dry
    refused = ops.run("sessions", "end", room.id, code=1)  # CliRunner's stdin is not a terminal
    assert "add --yes" in refused
    [live] = ops.json("sessions", "live")
    assert live["id"] == room.id  # neither the dry run nor the refusal ended it
    preview = ops.run("users", "ban", str(troll.id), "--reason", "spam", "--dry-run")
    assert preview.startswith(f"would ban {troll.id} (@")
    assert "1 room(s) left" in preview
    assert "add --yes" in ops.run("users", "ban", str(troll.id), "--reason", "spam", code=1)
    assert ops.json("users", "show", str(troll.id))["banned_until"] is None
    still_in = ops.conn.execute(
        "select left_at is null from public.session_members where user_id = %s", (troll.id,)
    )
    assert still_in.fetchone() == (True,)
    assert "no user" in ops.run("users", "ban", str(uuid.uuid4()), "--reason", "x", "--dry-run", code=3)


def _commands(group: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name, command in getattr(group, "commands", {}).items():
        path = (*prefix, name)
        if getattr(command, "commands", None):
            yield from _commands(command, path)
        else:
            yield path


def test_every_command_has_help_with_an_example() -> None:
    root = get_command(cli)
    assert isinstance(root, typer.core.TyperGroup)
    missing = []
    for path in _commands(root):
        result = CliRunner().invoke(cli, [*path, "--help"], env={"COLUMNS": "200"})
        if result.exit_code != 0 or "Example" not in result.output:
            missing.append(" ".join(path))
    assert missing == []
