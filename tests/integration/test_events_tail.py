"""`whatssound events tail`: developers see the broadcasts the database sends, live."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from typer.testing import CliRunner

from tests.conftest import FreshDb
from whatssound_svc import events_tail
from whatssound_svc.cli import app

runner = CliRunner()


def send(fresh_db: FreshDb, topic: str, event: str, seq: int) -> None:
    with fresh_db.connect() as conn:
        conn.execute(
            "select realtime.send(%s::jsonb, %s, %s, true)",
            (
                json.dumps({"v": 1, "seq": seq, "event": event, "topic": topic, "data": {"n": seq}}),
                event,
                topic,
            ),
        )


def test_once_prints_recent_broadcasts_of_one_session(fresh_db: FreshDb) -> None:
    mine, other = uuid.uuid4(), uuid.uuid4()
    send(fresh_db, f"session:{mine}", "chat.message", 1)
    send(fresh_db, f"session:{other}", "chat.message", 7)
    send(fresh_db, f"session:{mine}", "now_playing", 2)
    env = {"DATABASE_URL": fresh_db.url(), "COLUMNS": "200"}
    result = runner.invoke(
        app, ["events", "tail", "--once", "--since", "60", "--session", str(mine)], env=env
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split()[1:4] for line in lines] == [
        [f"session:{mine}", "#1", "chat.message"],
        [f"session:{mine}", "#2", "now_playing"],
    ]
    raw = runner.invoke(
        app, ["events", "tail", "--once", "--since", "60", "--json", "--user", str(mine)], env=env
    )
    assert raw.output == "", "nothing was sent to user:<id>"


def test_json_lines_are_the_payloads(fresh_db: FreshDb) -> None:
    topic = f"user:{uuid.uuid4()}"
    send(fresh_db, topic, "notification", 1)
    env = {"DATABASE_URL": fresh_db.url()}
    result = runner.invoke(app, ["events", "tail", "--once", "--since", "60", "--json"], env=env)
    assert [json.loads(line)["topic"] for line in result.output.splitlines()] == [topic]


def test_bad_arguments_are_refused_clearly(fresh_db: FreshDb) -> None:
    env = {"DATABASE_URL": fresh_db.url()}
    result = runner.invoke(app, ["events", "tail", "--once", "--session", "room-1"], env=env)
    assert result.exit_code == 2
    assert "Not a uuid" in result.output


def test_tail_sees_new_rows_and_late_commits_of_earlier_transactions(fresh_db: FreshDb) -> None:
    """A transaction that began first (earlier inserted_at) but commits last is still printed."""
    topic = f"session:{uuid.uuid4()}"
    send(fresh_db, topic, "before", 1)
    with fresh_db.connect(autocommit=False) as slow, fresh_db.connect() as conn:
        slow.execute("select realtime.send('{\"seq\": 3}'::jsonb, 'late', %s, true)", (topic,))
        tail = events_tail.Tail(conn, topic, dt.timedelta(0))
        assert tail.poll() == [], "what was there before the start is not printed"
        send(fresh_db, topic, "after", 2)
        assert [b.event for b in tail.poll()] == ["after"]
        slow.commit()
        assert [b.event for b in tail.poll()] == ["late"]
        assert tail.poll() == [], "each broadcast is printed once"


def test_topic_filter_rejects_both_session_and_user() -> None:
    with pytest.raises(ValueError, match="not both"):
        events_tail.topic_for(str(uuid.uuid4()), str(uuid.uuid4()))


def test_budget_shows_the_paced_listener_budget(fresh_db: FreshDb) -> None:
    result = runner.invoke(app, ["events", "budget"], env={"DATABASE_URL": fresh_db.url()})
    assert result.exit_code == 0, result.output
    lines = dict(line.split(maxsplit=1) for line in result.output.splitlines())
    assert lines["listener_budget"] == "60.00", "no history yet: the full budget"
    assert lines["monthly_messages"] == "27,000,000"
