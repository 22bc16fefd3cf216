"""The operator's commands against a real database: output asserted, --json parsed, and every
command documented with an example."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
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
from whatssound_svc.push.settings import get_push_settings


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
    assert "banned" in ops.run("users", "ban", str(troll.id), "--reason", "spam network")
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
    assert ops.run("sessions", "end", session["id"]).startswith(f"ended {session['id']}")
    assert ops.json("sessions", "live") == []
    assert "no live session" in ops.run("sessions", "end", session["id"], code=3)


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
    [report] = ops.json("moderation", "reports")
    assert (report["kind"], report["target"], report["reports_on_target"]) == ("message", message["id"], 1)


def test_a_test_push_and_what_a_user_received(ops: Ops, monkeypatch: pytest.MonkeyPatch) -> None:
    user = create_user(ops.conn)
    for n in (1, 2):
        ops.api(user, "register_push_device", p_token=fake_expo.token(f"ops{n}"), p_platform="ios")
    with fake_expo.running() as expo:
        expo.unregistered.add(fake_expo.token("ops1"))
        monkeypatch.setenv("WHATSSOUND_PUSH_EXPO_URL", expo.url)
        get_push_settings.cache_clear()
        try:
            tickets = ops.json("push", "test", str(user.id))
        finally:
            get_push_settings.cache_clear()
    assert sorted(t["ticket"] for t in tickets) == ["error", "ok"]
    devices = {d["token"]: d for d in ops.json("push", "devices", str(user.id))}
    assert devices[fake_expo.token("ops1")]["deactivated_reason"] == "DeviceNotRegistered"
    ops.conn.execute("select private.notify(%s, 'new_follower', 'nf:1', null)", (user.id,))
    [delivery] = ops.json("push", "deliveries", str(user.id))
    assert (delivery["kind"], delivery["status"]) == ("new_follower", "queued")


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
