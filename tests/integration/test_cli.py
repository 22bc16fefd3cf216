"""The `whatssound` CLI: help everywhere, env-var fallbacks, exit codes operators can script on."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from typer.testing import CliRunner

from whatssound_svc import paths
from whatssound_svc.cli import app
from whatssound_svc.cli import db as db_cli
from whatssound_svc.localpg import LocalCluster
from whatssound_svc.processes import free_port
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
def test_reset_builds_a_fresh_cluster_too() -> None:
    # A cluster that was never bootstrapped has no role postgres yet: reset must still build it.
    root, port = paths.LOCAL_DIR / "tmp" / f"reset-{uuid.uuid4().hex[:8]}", free_port()
    env = {
        **os.environ,
        "WHATSSOUND_PG_ROOT": str(root),
        "WHATSSOUND_PG_PORT": str(port),
        "WHATSSOUND_ASSUME_YES": "1",
    }
    url = subprocess.run([WHATSSOUND, "pg", "url"], env=env, capture_output=True, text=True, check=True)
    try:
        reset = subprocess.run([WHATSSOUND, "db", "reset"], env=env, capture_output=True, text=True, check=False,
                               timeout=180)  # fmt: skip
        assert reset.returncode == 0, reset.stderr
        subprocess.run([WHATSSOUND, "pg", "start"], env=env, capture_output=True, check=True, timeout=60)
        with psycopg.connect(url.stdout.strip()) as conn:
            assert conn.execute(
                "select pg_get_userbyid(datdba) from pg_database where datname = 'postgres'"
            ).fetchone() == ("postgres",)
            assert conn.execute("select count(*) from auth.users").fetchone() == (4,)
    finally:
        subprocess.run([WHATSSOUND, "pg", "stop"], env=env, capture_output=True, check=False, timeout=60)
        shutil.rmtree(LocalCluster.for_dev(LocalPgSettings(root=root, port=port)).root, ignore_errors=True)
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.slow
def test_reset_rebuilds_the_local_database() -> None:
    root, port = paths.LOCAL_DIR / "tmp" / f"reset-{uuid.uuid4().hex[:8]}", free_port()
    env = {**os.environ, "WHATSSOUND_PG_ROOT": str(root), "WHATSSOUND_PG_PORT": str(port)}
    url = subprocess.run([WHATSSOUND, "pg", "url"], env=env, capture_output=True, text=True, check=True)
    try:
        subprocess.run([WHATSSOUND, "db", "bootstrap"], env=env, capture_output=True, check=True, timeout=120)
        subprocess.run([WHATSSOUND, "pg", "start"], env=env, capture_output=True, check=True, timeout=60)
        with psycopg.connect(url.stdout.strip(), autocommit=True) as conn:
            conn.execute("create table public.scratch (n int)")
        reset = subprocess.run(
            [WHATSSOUND, "db", "reset"], env={**env, "WHATSSOUND_ASSUME_YES": "1"},
            capture_output=True, text=True, check=False, timeout=120,
        )  # fmt: skip
        assert reset.returncode == 0, reset.stderr
        assert "Local database rebuilt." in reset.stderr
        with psycopg.connect(url.stdout.strip()) as conn:
            assert conn.execute("select to_regclass('public.scratch')").fetchone() == (None,)
            assert conn.execute("select count(*) from auth.users").fetchone() == (4,)  # seeded again
    finally:
        subprocess.run([WHATSSOUND, "pg", "stop"], env=env, capture_output=True, check=False, timeout=60)
        relocated = LocalCluster.for_dev(LocalPgSettings(root=root, port=port)).root  # as root
        shutil.rmtree(relocated, ignore_errors=True)
        shutil.rmtree(root, ignore_errors=True)
