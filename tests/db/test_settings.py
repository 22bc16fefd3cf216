"""Operational settings: migrations declare defaults, operators override them, and neither writes
over the other (issue 21 §2, migration foundation-setting-overrides, docs/decisions.md).

A deploy is a real ``migrations.push`` here: the override an operator set stays in force through a
later migration's default change, and a value an operator had tuned before overrides existed was
adopted as an override. Every operator function's refusal is a 22023 with a hint that changes
nothing.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg.rows import dict_row

from tests.conftest import FreshDb
from tests.support.pgserver import PgServer
from whatssound_svc import migrations, paths
from whatssound_svc.local import shim

#: The migration that split defaults from overrides: every later one must leave values alone.
OVERRIDES_VERSION = "20261203195412"
REPO_MIGRATIONS = migrations.local_migrations(paths.MIGRATIONS_DIR)
#: The migrations that wrote values of existing keys before the split (what the rule now refuses).
UPDATED_VALUES_BEFORE = {
    "20261128030300_push-rate-tuning.sql",
    "20261128070100_realtime-fit-the-month.sql",
    "20261202070200_realtime-delivery-lanes.sql",
    "20261202080800_realtime-ticks-show-the-snapshots-top.sql",
}

_COMMENTS = re.compile(r"/\*.*?\*/|--[^\n]*", re.DOTALL)
_TABLE = r"(only\s+)?private\.settings\b"
_WRITES = re.compile(
    rf"\bupdate\s+{_TABLE}|\bdelete\s+from\s+{_TABLE}|\btruncate\s+(table\s+)?{_TABLE}"
    rf"|\binsert\s+into\s+{_TABLE}[^;]*?\bon\s+conflict\b[^;]*?\bdo\s+update\b",
    re.IGNORECASE,
)


def writes_setting_values(sql: str) -> list[str]:
    """Statements in a migration's text that change what existing keys of private.settings hold
    (comments ignored): update, delete, truncate, or an insert that updates on conflict."""
    return [m.group(0) for m in _WRITES.finditer(_COMMENTS.sub(" ", sql))]


def _refused(db: psycopg.Connection, statement: str, *args: object) -> psycopg.Error:
    """Run ``statement`` in a savepoint; it must fail (22023 unless the test says otherwise)."""
    with pytest.raises(psycopg.Error) as caught, db.transaction():
        db.execute(statement, args)  # type: ignore[arg-type]
    assert caught.value.diag.message_hint, "every refusal carries a hint"
    return caught.value


def _row(conn: psycopg.Connection, key: str) -> dict[str, Any]:
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute("select * from private.settings_list(%s)", (key,)).fetchone()
    assert row is not None
    return row


def _state(db: psycopg.Connection) -> tuple[Any, ...]:
    """Everything the operator functions may write, to prove a refusal changed nothing."""
    return tuple(
        db.execute(q).fetchall()
        for q in (
            "select key, value, default_value, description from private.settings order by key",
            "select * from private.setting_overrides order by key",
            "select * from private.setting_changes order by id",
        )
    )


def _history(conn: psycopg.Connection, key: str) -> list[tuple[Any, ...]]:
    return conn.execute(
        "select change, previous_value, new_value, changed_by, reason from private.setting_changes"
        " where key = %s order by id",
        (key,),
    ).fetchall()


# --- the migration rule --------------------------------------------------------------------------


def test_no_migration_after_the_split_writes_values_of_existing_keys() -> None:
    # Function bodies count too: a later restatement of set_setting, reset_setting or
    # change_setting_default (the only writers) is the one reason to list a migration here.
    later = [m for m in REPO_MIGRATIONS if m.version > OVERRIDES_VERSION]
    offending = {m.filename: found for m in later if (found := writes_setting_values(m.path.read_text()))}
    assert offending == {}, (
        "a migration changes a default with private.change_setting_default(key, value[, description]);"
        " it never updates private.settings (an operator's override lives in private.setting_overrides)"
    )


def test_the_migration_rule_finds_every_way_to_write_a_value() -> None:
    earlier = {
        m.filename
        for m in REPO_MIGRATIONS
        if m.version < OVERRIDES_VERSION and writes_setting_values(m.path.read_text())
    }
    assert earlier == UPDATED_VALUES_BEFORE  # the rule would have refused each of them
    planted = [
        "update private.settings set value = '5' where key = 'push_burst';",
        "UPDATE ONLY private.settings AS s SET description = 'x' WHERE s.key = 'push_burst';",
        "delete from private.settings where key = 'push_burst';",
        "truncate table private.settings;",
        "insert into private.settings (key, value, description) values ('push_burst', '5', 'x')\n"
        "  on conflict (key) do update set value = excluded.value;",
    ]
    assert [len(writes_setting_values(s)) for s in planted] == [1] * len(planted)
    allowed = [
        "insert into private.settings (key, value, description) values ('new_knob', '1', 'x');",
        "insert into private.settings (key, value, description) values ('new_knob', '1', 'x')"
        " on conflict (key) do nothing;",
        "select private.change_setting_default('push_burst', '40');",
        "-- never: update private.settings set value = '5'\n/* nor update private.settings */ select 1;",
        "update private.setting_overrides set reason = 'x' where key = 'push_burst';",
    ]
    assert [writes_setting_values(s) for s in allowed] == [[]] * len(allowed)


# --- a deploy never overwrites an operator's value -----------------------------------------------


def _deploy(conn: psycopg.Connection, directory: Path, *extra: tuple[str, str]) -> None:
    """``whatssound db push`` of the repository's migrations (those in ``directory``) and ``extra``."""
    for filename, text in extra:
        (directory / filename).write_text(text)
    migrations.push(conn, directory, report=lambda _m: None)


def _linked(directory: Path, upto: str | None = None) -> Path:
    directory.mkdir()
    for m in REPO_MIGRATIONS:
        if upto is None or m.version < upto:
            (directory / m.filename).symlink_to(m.path.resolve())
    return directory


def test_an_override_survives_a_later_migrations_default_change(fresh_db: FreshDb, tmp_path: Path) -> None:
    with fresh_db.connect("postgres") as conn:
        conn.execute("select private.set_setting('push_burst', '24', 'Expo asked us to slow down', 'alice')")
        burst_default = "select private.change_setting_default('push_burst', '40', 'Tokens a worker may send at once.');\n"
        change = (
            burst_default + "select private.change_setting_default('push_rate_per_second', '560');\n"
            "insert into private.settings (key, value, description) values ('push_new_knob', '3', 'A new knob.');\n"
        )
        directory = _linked(tmp_path / "migrations")
        _deploy(conn, directory, ("29991231000000_push-faster.sql", change))
        # ...and the same default declared again by a later deploy changes nothing either.
        _deploy(conn, directory, ("29991231000001_push-faster-again.sql", burst_default))
        burst = _row(conn, "push_burst")
        assert (burst["default_value"], burst["override_value"], burst["effective_value"]) == (40, 24, 24)
        assert (burst["changed_by"], burst["description"]) == ("alice", "Tokens a worker may send at once.")
        assert conn.execute("select hidden.setting('push_burst')").fetchone() == (24,)
        rate = _row(conn, "push_rate_per_second")
        assert (rate["default_value"], rate["override_value"], rate["effective_value"]) == (560, None, 560)
        assert _row(conn, "push_new_knob")["effective_value"] == 3
        assert [h[:3] for h in _history(conn, "push_burst")] == [("set", None, 24), ("default", 30, 40)]
        conn.execute("select private.reset_setting('push_burst', 'Expo is fine again', 'alice')")
        assert conn.execute("select hidden.setting('push_burst')").fetchone() == (40,)


@pytest.fixture
def blank_db(pg_server: PgServer) -> Iterator[str]:
    """An empty database with the shim, migrated by the test itself."""
    name = f"ws_settings_{uuid.uuid4().hex[:8]}"
    pg_server.create_database(name)
    try:
        with psycopg.connect(pg_server.admin_url_for(name), autocommit=True) as admin:
            shim.apply(admin)
        yield name
    finally:
        pg_server.drop_database(name)


def test_a_value_tuned_before_overrides_existed_was_adopted_as_an_override(
    pg_server: PgServer, blank_db: str, tmp_path: Path
) -> None:
    with psycopg.connect(pg_server.url("postgres", blank_db), autocommit=True) as conn:
        directory = _linked(tmp_path / "migrations", upto=OVERRIDES_VERSION)
        _deploy(conn, directory)
        conn.execute("update private.settings set value = '42' where key = 'chat_rate_messages'")
        for m in REPO_MIGRATIONS:
            if m.version >= OVERRIDES_VERSION:
                (directory / m.filename).symlink_to(m.path.resolve())
        _deploy(conn, directory)
        adopted = conn.execute("select key, value, changed_by from private.setting_overrides").fetchall()
        assert adopted == [("chat_rate_messages", 42, "foundation-setting-overrides")]
        chat = _row(conn, "chat_rate_messages")
        assert (chat["default_value"], chat["effective_value"]) == (5, 42)


def test_a_freshly_migrated_database_is_at_its_defaults(db: psycopg.Connection) -> None:
    # The adoption list in foundation-setting-overrides matches what the migrations declare.
    assert db.execute("select * from private.setting_overrides").fetchall() == []
    assert db.execute("select * from private.setting_changes").fetchall() == []
    assert db.execute("select key from private.settings_diff()").fetchall() == []


# --- the operator functions ----------------------------------------------------------------------


def test_set_list_diff_and_reset(db: psycopg.Connection) -> None:
    db.execute("select private.set_setting('tip_boost_cap', '8', '  Festival weekend  ', 'bob')")
    boost = _row(db, "tip_boost_cap")
    assert (boost["default_value"], boost["override_value"], boost["effective_value"]) == (5, 8, 8)
    assert (boost["changed_by"], boost["reason"]) == ("bob", "Festival weekend")
    assert boost["changed_at"] is not None
    # The hot paths read the table directly, and get the override.
    assert db.execute("select value from private.settings where key = 'tip_boost_cap'").fetchone() == (8,)
    assert db.execute("select hidden.setting('tip_boost_cap')").fetchone() == (8,)
    diff = db.execute("select key, default_value, override_value from private.settings_diff()").fetchall()
    assert diff == [("tip_boost_cap", 5, 8)]
    listed = db.execute("select key from private.settings_list()").fetchall()
    assert len(listed) == db.execute("select count(*) from private.settings").fetchone()[0]  # type: ignore[index]
    # Set again: one override, two changes in the history; unnamed: the database user logged in.
    db.execute("select private.set_setting('tip_boost_cap', '9', 'Even busier')")
    [(login,)] = db.execute("select session_user::text").fetchall()
    assert _row(db, "tip_boost_cap")["changed_by"] == login
    reset = db.execute(
        "select override_value, effective_value from private.reset_setting('tip_boost_cap', 'Weekend over', 'bob')"
    ).fetchone()
    assert reset == (None, 5)
    assert db.execute("select hidden.setting('tip_boost_cap')").fetchone() == (5,)
    assert db.execute("select * from private.settings_diff()").fetchall() == []
    assert _history(db, "tip_boost_cap") == [
        ("set", None, 8, "bob", "Festival weekend"),
        ("set", 8, 9, login, "Even busier"),
        ("reset", 9, 5, "bob", "Weekend over"),
    ]
    # Nothing to reset: nothing recorded.
    db.execute("select private.reset_setting('tip_boost_cap', 'again', 'bob')")
    assert len(_history(db, "tip_boost_cap")) == 3


def test_a_value_written_outside_the_functions_shows_in_the_diff_until_reset(db: psycopg.Connection) -> None:
    db.execute("update private.settings set value = '7' where key = 'max_mentions'")
    assert db.execute(
        "select key, override_value, effective_value from private.settings_diff()"
    ).fetchall() == [("max_mentions", None, 7)]
    db.execute("select private.reset_setting('max_mentions', 'Undo a hand edit', 'carol')")
    assert db.execute("select hidden.setting('max_mentions')").fetchone() == (10,)
    assert _history(db, "max_mentions") == [("reset", 7, 10, "carol", "Undo a hand edit")]


def test_dry_runs_say_what_would_be_and_change_nothing(db: psycopg.Connection) -> None:
    before = _state(db)
    would = db.execute(
        "select override_value, effective_value, changed_by, reason"
        " from private.set_setting('push_burst', '12', 'try it', 'dave', p_dry_run => true)"
    ).fetchone()
    assert would == (12, 12, "dave", "try it")
    assert _state(db) == before
    db.execute("select private.set_setting('push_burst', '12', 'for real', 'dave')")
    before = _state(db)
    would = db.execute(
        "select override_value, effective_value from private.reset_setting('push_burst', 'undo', p_dry_run => true)"
    ).fetchone()
    assert would == (None, 30)
    assert _state(db) == before


@pytest.mark.parametrize(
    ("statement", "args", "message"),
    [
        # An unknown key, or none.
        ("select private.set_setting(%s, '1', 'why')", ("no_such_knob",), "There is no setting 'no_such_knob'."),
        ("select private.set_setting(%s, '1', 'why')", (None,), "There is no setting null."),
        ("select private.reset_setting(%s, 'why')", ("no_such_knob",), "There is no setting 'no_such_knob'."),
        # The value's JSON type must be the default's (a number here; a boolean; an array).
        ("select private.set_setting('push_burst', %s, 'why')", ('"30"',), "push_burst takes a JSON number, not string."),
        ("select private.set_setting('push_burst', %s, 'why')", ("true",), "push_burst takes a JSON number, not boolean."),
        ("select private.set_setting('push_burst', %s, 'why')", ("null",), "push_burst takes a JSON number, not null."),
        ("select private.set_setting('push_burst', %s, 'why')", (None,), "push_burst takes a JSON number, not null."),
        ("select private.set_setting('anonymous_may_chat', %s, 'why')", ("1",),
         "anonymous_may_chat takes a JSON boolean, not number."),
        ("select private.set_setting('push_drop_stale_kinds', %s, 'why')", ('"go_live"',),
         "push_drop_stale_kinds takes a JSON array, not string."),
        # A reason is required.
        ("select private.set_setting('push_burst', '20', %s)", ("  ",), "A reason is required."),
        ("select private.set_setting('push_burst', '20', %s)", (None,), "A reason is required."),
        ("select private.reset_setting('push_burst', %s)", ("",), "A reason is required."),
        # A migration's default change: a known key, the same JSON type.
        ("select private.change_setting_default(%s, '1')", ("no_such_knob",), "There is no setting 'no_such_knob'."),
        ("select private.change_setting_default('push_burst', %s)", ('"40"',),
         "The default of push_burst is a JSON number, not string."),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_22023_and_changes_nothing(
    db: psycopg.Connection, statement: str, args: tuple[Any, ...], message: str
) -> None:
    db.execute("select private.set_setting('push_burst', '25', 'an override to keep', 'erin')")
    before = _state(db)
    refused = _refused(db, statement, *args)
    assert (refused.sqlstate, refused.diag.message_primary) == ("22023", message)
    assert _state(db) == before


def test_a_new_keys_inserted_value_is_its_default(db: psycopg.Connection) -> None:
    db.execute(
        "insert into private.settings (key, value, description) values ('test_knob', '[1, 2]', 'A knob.')"
    )
    knob = _row(db, "test_knob")
    assert (knob["default_value"], knob["override_value"], knob["effective_value"]) == ([1, 2], None, [1, 2])


def test_the_history_is_append_only(db: psycopg.Connection) -> None:
    db.execute("select private.set_setting('push_burst', '20', 'history', 'frank')")
    before = _state(db)
    for statement in (
        "update private.setting_changes set reason = 'rewritten' where key = 'push_burst'",
        "delete from private.setting_changes where key = 'push_burst'",
        "truncate private.setting_changes",
    ):
        refused = _refused(db, statement)
        assert (refused.sqlstate, refused.diag.message_primary) == (
            "42501",
            "The settings history is append-only.",
        )
    assert _state(db) == before
