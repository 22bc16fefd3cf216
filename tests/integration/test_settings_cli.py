"""``whatssound settings`` against a real database: list, set, diff and reset, their --json, their
dry runs and confirmations, and the refusals the operator functions answer."""

from __future__ import annotations

import json
from typing import Any

import psycopg
import pytest
from typer.testing import CliRunner, Result

from tests.conftest import FreshDb
from tests.integration.test_admin_cli import ISO_8601
from whatssound_svc.cli import app as cli


class Settings:
    def __init__(self, db: FreshDb) -> None:
        self.db = db
        self.env = {"DATABASE_URL": db.url(), "COLUMNS": "200", "WHATSSOUND_OPERATOR": "alice"}

    def invoke(self, *args: str) -> Result:
        return CliRunner().invoke(cli, ["settings", *args], env=self.env)

    def run(self, *args: str, code: int = 0) -> str:
        result = self.invoke(*args)
        assert result.exit_code == code, result.output
        return result.output

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args, "--json"))

    def in_force(self, key: str) -> Any:
        with self.db.connect() as conn:
            row = conn.execute("select hidden.setting(%s)", (key,)).fetchone()
        assert row is not None
        return row[0]


@pytest.fixture
def settings(fresh_db: FreshDb) -> Settings:
    return Settings(fresh_db)


def test_set_diff_and_reset_an_override(settings: Settings) -> None:
    assert settings.run("diff").strip() == "every setting is at its default"
    assert settings.json("diff") == []
    out = settings.run("set", "push_burst", "24", "--reason", "Expo throttles us", "--yes")
    assert out.strip() == "push_burst is 24 (default 30), in force now"
    assert settings.in_force("push_burst") == 24
    [row] = settings.json("diff")
    assert {
        k: row[k] for k in ("key", "default_value", "override_value", "effective_value", "changed_by")
    } == {
        "key": "push_burst",
        "default_value": 30,
        "override_value": 24,
        "effective_value": 24,
        "changed_by": "alice",  # from WHATSSOUND_OPERATOR
    }
    assert row["reason"] == "Expo throttles us"
    assert ISO_8601.fullmatch(row["changed_at"]), row["changed_at"]
    table = settings.run("list", "push_burst")
    assert "push_burst" in table
    assert "Expo throttles us" in table
    assert "alice" in table
    shown = settings.json(
        "set", "artwork_hosts", '{"upload": []}', "--reason", "uploads only", "--by", "bob", "--yes"
    )
    assert (shown["override_value"], shown["changed_by"]) == ({"upload": []}, "bob")
    out = settings.run("reset", "push_burst", "--reason", "Expo is fine", "--yes")
    assert out.strip() == "push_burst is at its default 30, in force now"
    assert settings.in_force("push_burst") == 30
    assert [r["key"] for r in settings.json("diff")] == ["artwork_hosts"]


def test_list_shows_every_setting_with_typed_values(settings: Settings) -> None:
    listed = {row["key"]: row for row in settings.json("list")}
    assert len(listed) > 50
    assert (listed["anonymous_may_chat"]["default_value"], listed["push_burst"]["effective_value"]) == (
        False,
        30,
    )
    assert listed["push_burst"]["override_value"] is None
    assert listed["push_burst"]["changed_at"] is None
    assert "no setting 'no_such_knob'" in settings.run("list", "no_such_knob", code=3)


def test_set_and_reset_dry_run_and_refuse_without_yes(settings: Settings) -> None:
    out = settings.run("set", "push_burst", "24", "--reason", "try", "--dry-run")
    assert out.strip() == "would set push_burst to 24 (run without --dry-run to do it)"
    assert settings.json("set", "push_burst", "24", "--reason", "try", "--dry-run")["effective_value"] == 24
    refused = settings.run("set", "push_burst", "24", "--reason", "try", code=1)  # no terminal to ask on
    assert "Set push_burst to 24 (default 30)?" in refused
    assert "add --yes" in refused
    assert settings.in_force("push_burst") == 30
    assert settings.json("diff") == []
    settings.run("set", "push_burst", "24", "--reason", "now", "--yes")
    out = settings.run("reset", "push_burst", "--reason", "undo", "--dry-run")
    assert out.strip() == "would reset push_burst to its default 30 (run without --dry-run to do it)"
    assert "add --yes" in settings.run("reset", "push_burst", "--reason", "undo", code=1)
    assert settings.in_force("push_burst") == 24


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # Checked by the database (as a dry run, before anything is asked): each a 22023, nothing changed.
        (("set", "no_such_knob", "1"), "There is no setting 'no_such_knob'."),
        (("set", "push_burst", '"24"'), "push_burst takes a JSON number, not string."),
        (("set", "anonymous_may_chat", "1"), "anonymous_may_chat takes a JSON boolean, not number."),
        (("reset", "no_such_knob"), "There is no setting 'no_such_knob'."),
    ],
)
def test_refusals_name_the_rule_and_change_nothing(
    settings: Settings, args: tuple[str, ...], message: str
) -> None:
    result = settings.invoke(*args, "--reason", "why", "--yes")
    assert result.exit_code == 1
    assert isinstance(result.exception, psycopg.Error)
    assert (result.exception.sqlstate, result.exception.diag.message_primary) == ("22023", message)
    assert settings.json("diff") == []


def test_a_value_that_is_not_json_is_refused_before_the_database(settings: Settings) -> None:
    out = settings.run("set", "subscriber_entitlement", "premium", "--reason", "why", "--yes", code=2)
    assert "not JSON" in out
