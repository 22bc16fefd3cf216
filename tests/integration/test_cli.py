"""The `whatssound` CLI: help everywhere, env-var fallbacks, exit codes operators can script on."""

from __future__ import annotations

import ast
import inspect
import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from typer.main import get_command
from typer.testing import CliRunner

from whatssound_svc import paths
from whatssound_svc.cli import app
from whatssound_svc.cli import db as db_cli
from whatssound_svc.local.cluster import LocalCluster
from whatssound_svc.local.processes import free_port
from whatssound_svc.settings import LocalPgSettings

runner = CliRunner()
WHATSSOUND = str(Path(sys.executable).parent / "whatssound")


@pytest.mark.parametrize(
    "command",
    [[], ["db"], ["db", "push"], ["db", "status"], ["db", "reset"], ["db", "new"], ["db", "bootstrap"],
     ["pg"], ["pg", "start"], ["pg", "status"], ["dev"], ["serve"], ["events"], ["events", "tail"], ["events", "budget"], ["webhooks"], ["webhooks", "replay"], ["webhooks", "pending"], ["reconcile"], ["reconcile", "revenuecat"]],
)  # fmt: skip
def test_every_command_has_help(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_db_options_show_their_environment_variables() -> None:
    result = runner.invoke(app, ["db", "push", "--help"], env={"COLUMNS": "200"})
    assert "DATABASE_URL" in result.output
    assert "WHATSSOUND_MIGRATIONS_DIR" in result.output


def test_status_is_zero_when_current_and_three_when_pending(fresh_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    current = runner.invoke(app, ["db", "status"], env={"DATABASE_URL": fresh_db.url(), "COLUMNS": "200"})
    assert current.exit_code == 0, current.output
    assert "applied" in current.output
    for migration in paths.MIGRATIONS_DIR.iterdir():
        (tmp_path / migration.name).symlink_to(migration.resolve())
    (tmp_path / "29990101000000_future-thing.sql").write_text("select 1;")
    pending = runner.invoke(
        app, ["db", "status", "--migrations-dir", str(tmp_path)],
        env={"DATABASE_URL": fresh_db.url(), "COLUMNS": "200"},
    )  # fmt: skip
    assert pending.exit_code == 3
    assert "29990101000000" in pending.output
    assert "pending" in pending.output


def test_push_dry_run_names_the_pending_files(fresh_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for migration in paths.MIGRATIONS_DIR.iterdir():
        (tmp_path / migration.name).symlink_to(migration.resolve())
    (tmp_path / "29990101000000_future-thing.sql").write_text("create table future (n int);")
    result = runner.invoke(
        app, ["db", "push", "--dry-run", "--migrations-dir", str(tmp_path)],
        env={"DATABASE_URL": fresh_db.url()},
    )  # fmt: skip
    assert result.exit_code == 0
    assert "29990101000000_future-thing.sql" in result.output
    with fresh_db.connect() as conn:
        assert conn.execute("select to_regclass('public.future')").fetchone() == (None,)


def test_errors_exit_1_with_the_cause_and_no_traceback() -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"postgresql://postgres:x@127.0.0.1:{free_port()}/postgres",
    }
    result = subprocess.run([WHATSSOUND, "db", "push"], env=env, capture_output=True, text=True,
                            timeout=60, check=False)  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.startswith("error:")
    assert "Traceback" not in result.stderr


def test_new_creates_the_file_in_sql_and_its_migrations_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paths, "SQL_DIR", tmp_path / "sql")
    monkeypatch.setattr(paths, "MIGRATIONS_DIR", tmp_path / "supabase" / "migrations")
    monkeypatch.setattr(paths, "REPO_ROOT", tmp_path)
    (tmp_path / "supabase" / "migrations").mkdir(parents=True)
    result = runner.invoke(app, ["db", "new", "rooms", "add-slow-mode"])
    assert result.exit_code == 0, result.output
    [link] = list((tmp_path / "supabase" / "migrations").iterdir())
    assert link.is_symlink()
    assert link.resolve().parent == tmp_path / "sql" / "rooms"
    assert link.name.endswith("_rooms-add-slow-mode.sql")
    assert db_cli.migrations.FILE_PATTERN.match(link.name)


@pytest.mark.slow
def test_reset_builds_a_fresh_cluster_and_rebuilds_a_used_one() -> None:
    root, port = paths.LOCAL_DIR / "tmp" / f"reset-{uuid.uuid4().hex[:8]}", free_port()
    env = {
        **os.environ,
        "WHATSSOUND_PG_ROOT": str(root),
        "WHATSSOUND_PG_PORT": str(port),
        "WHATSSOUND_ASSUME_YES": "1",
    }
    url = subprocess.run([WHATSSOUND, "pg", "url"], env=env, capture_output=True, text=True, check=True)

    def reset() -> None:
        done = subprocess.run([WHATSSOUND, "db", "reset"], env=env, capture_output=True, text=True, check=False,
                              timeout=180)  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "Local database rebuilt." in done.stderr

    try:
        reset()  # a cluster never bootstrapped: no role postgres yet
        subprocess.run([WHATSSOUND, "pg", "start"], env=env, capture_output=True, check=True, timeout=60)
        with psycopg.connect(url.stdout.strip(), autocommit=True) as conn:
            assert conn.execute(
                "select pg_get_userbyid(datdba) from pg_database where datname = 'postgres'"
            ).fetchone() == ("postgres",)
            conn.execute("create table public.scratch (n int)")
        reset()
        with psycopg.connect(url.stdout.strip()) as conn:
            assert conn.execute("select to_regclass('public.scratch')").fetchone() == (None,)
            assert conn.execute("select count(*) from auth.users").fetchone() == (4,)  # seeded again
    finally:
        subprocess.run([WHATSSOUND, "pg", "stop"], env=env, capture_output=True, check=False, timeout=60)
        relocated = LocalCluster.for_dev(LocalPgSettings(root=root, port=port)).root  # as root
        shutil.rmtree(relocated, ignore_errors=True)
        shutil.rmtree(root, ignore_errors=True)


def _leaf_commands(group: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    for name, command in getattr(group, "commands", {}).items():
        if getattr(command, "commands", None):
            yield from _leaf_commands(command, (*prefix, name))
        else:
            yield (*prefix, name), command


def test_every_command_summary_is_one_whole_sentence() -> None:
    # Typer shows a docstring's first paragraph as the summary in `whatssound <group> --help`;
    # a hard line break inside it, or a paragraph that stops mid-sentence, shows up there.
    broken = []
    for path, command in _leaf_commands(get_command(app)):
        summary = inspect.cleandoc(command.help or "").split("\n\n")[0]
        whole = "\n" not in summary and summary.endswith(".") and ". " not in summary
        if not whole:
            broken.append(f"{' '.join(path)}: {summary!r}")
    assert broken == []


@pytest.mark.parametrize("group", ["db", "pg", "events", "webhooks", "reconcile", "jobs", "users", "sessions",
                                   "moderation", "media", "ops"])  # fmt: skip
def test_group_help_lists_each_summary_as_one_sentence(group: str) -> None:
    result = runner.invoke(app, [group, "--help"], env={"COLUMNS": "300"})
    names = set(get_command(app).commands[group].commands)  # type: ignore[attr-defined]
    rows = [
        line.strip("│ ").split(maxsplit=1) for line in result.output.splitlines() if line.startswith("│ ")
    ]
    summaries = {row[0]: row[1].rstrip("│ ") for row in rows if len(row) == 2 and row[0] in names}
    assert set(summaries) == names
    assert [name for name, text in summaries.items() if not text.endswith(".")] == []


@pytest.mark.parametrize(
    ("args", "valid"),
    [
        (["webhooks", "list", "--provider", "bogus"], ["stripe", "stripe_connect", "revenuecat"]),
        (["moderation", "reports", "--status", "resolved"], ["open", "actioned", "dismissed"]),
        (["jobs", "worker", "--queue", "bogus"], ["push", "media", "catalogue", "payments", "default"]),
        (["jobs", "purge", "--older-than", "a week"], ["7d or 12h"]),
        (["cost", "--compute", "huge"], ["micro", "small", "xl", "16xl"]),
        (["cost", "--event-compute", "huge"], ["micro", "small", "xl", "16xl"]),
        (["events", "tail", "--session", "room-1"], ["Not a uuid"]),
    ],
)
def test_a_bad_filter_value_exits_2_naming_the_valid_ones(args: list[str], valid: list[str]) -> None:
    # No database is reached: the value is refused first (the URL points nowhere).
    env = {"DATABASE_URL": f"postgresql://postgres:x@127.0.0.1:{free_port()}/postgres", "COLUMNS": "300"}
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 2, result.output
    assert [v for v in valid if v not in result.output] == []


def test_reset_refuses_without_a_terminal_or_yes_and_dry_run_changes_nothing() -> None:
    env = {"DATABASE_URL": "", "WHATSSOUND_ASSUME_YES": None, "WHATSSOUND_DRY_RUN": None}
    dry = runner.invoke(app, ["db", "reset", "--dry-run"], env=env)
    assert dry.exit_code == 0, dry.output
    assert dry.output.startswith("would drop the database postgres of the local cluster")
    refused = runner.invoke(app, ["db", "reset"], env=env)  # stdin is not a terminal
    assert refused.exit_code == 1
    assert "add --yes" in refused.output


#: A table or view after from/join/update/into (a function call is followed by "(").
RELATION = re.compile(r"\b(?:from|join|update|into)\s+([a-z_]+\.[a-z_]+)\b(?!\s*\()", re.IGNORECASE)
STATEMENT = re.compile(r"\b(select|update|delete|insert)\b", re.IGNORECASE)


def _sql_relations(source: str) -> set[str]:
    strings = [
        n.value
        for n in ast.walk(ast.parse(source))
        if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]
    return {name for text in strings if STATEMENT.search(text) for name in RELATION.findall(text)}


def test_cli_commands_call_named_database_functions_instead_of_inline_sql() -> None:
    assert _sql_relations('q = "select a from private.t where b" " join public.u on true"') == {
        "private.t",
        "public.u",
    }
    assert _sql_relations('q = "select * from private.f(%s)"; r = "select private.g()"') == set()
    inline = {
        (path.name, name)
        for path in sorted((paths.REPO_ROOT / "whatssound_svc" / "cli").glob("*.py"))
        for name in _sql_relations(path.read_text())
    }
    assert inline == set()
