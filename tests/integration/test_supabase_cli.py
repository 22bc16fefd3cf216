"""Interop with the real Supabase CLI (npm supabase@2.117.0): one ledger, two tools.

Some migrations are applied by `supabase db push`, the rest by `whatssound db push`, in both
orders; each tool then sees the other's work, `supabase migration list` agrees, and statements
the CLI recorded match our splitter exactly (so nothing is reported as edited).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest

from whatssound_svc import migrations, paths
from whatssound_svc.local import shim

pytestmark = [pytest.mark.node, pytest.mark.slow]
SUPABASE = paths.REPO_ROOT / "tools" / "node_modules" / ".bin" / "supabase"

# Files chosen to exercise every splitting rule the two tools must agree on.
TRICKY = {
    "20260101000000_interop-comments.sql": (
        "-- leading comment\ncreate table a (x int);\n\n/* block; */ comment on table a is 'it''s; fine';\n"
    ),
    "20260101000001_interop-dollar.sql": (
        "create function f() returns int language plpgsql as $body$\nbegin\n"
        "  perform $q$;$q$;\n  return 1;\nend $body$;\n"
    ),
    "20260101000002_interop-atomic.sql": (
        "create function g() returns int language sql\nbegin atomic\n  select 1;\nend;\n"
    ),
    "20260101000003_interop-parens.sql": (
        "create table b (\n  y text default 'a;b', -- note; here\n  z int check (z > 0)\n);\n"
        "create view v as select * from b"
    ),
    "20260101000004_interop-tail.sql": "\ufeffcreate table c (n int);\n-- only a trailing comment\n",
}


def _require_cli() -> None:
    if SUPABASE.exists():
        return
    if os.environ.get("WHATSSOUND_REQUIRE_NODE_TOOLS"):
        pytest.fail("tools/node_modules/.bin/supabase is missing; run `make tools`")
    pytest.skip("the Supabase CLI is not installed (npm missing); `make tools` installs it")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "supabase" / "migrations").mkdir(parents=True)
    shutil.copy(paths.SUPABASE_DIR / "config.toml", tmp_path / "supabase" / "config.toml")
    return tmp_path


def _cli(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    _require_cli()
    env = {**os.environ, "SUPABASE_TELEMETRY_DISABLED": "1", "DO_NOT_TRACK": "1"}
    return subprocess.run(
        [str(SUPABASE), *args], cwd=project, env=env, capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip


def _add(project: Path, *names: str) -> None:
    for name in names:
        (project / "supabase" / "migrations" / name).write_text(TRICKY[name], encoding="utf-8")


def _listed(output: str) -> list[tuple[str, str]]:
    return re.findall(r"`(\d{14}| )`\s*\|\s*`(\d{14}| )`", output)


def test_cli_then_whatssound_then_cli(fresh_db, project: Path) -> None:  # type: ignore[no-untyped-def]
    url = fresh_db.url() + "?sslmode=disable"
    names = sorted(TRICKY)
    migdir = project / "supabase" / "migrations"
    with fresh_db.connect("postgres") as conn:
        conn.execute("drop schema supabase_migrations cascade")

    _add(project, *names[:2])
    pushed = _cli(project, "db", "push", "--db-url", url, "--yes")
    assert pushed.returncode == 0, pushed.stderr

    _add(project, *names[2:4])
    with fresh_db.connect("postgres") as conn:
        applied = migrations.applied_migrations(conn)
        local = migrations.local_migrations(migdir)
        # The CLI's recorded statements are exactly our cut of the same files.
        assert migrations.edited_migrations(local, applied) == []
        for migration in local[:2]:
            assert applied[migration.version].statements == migration.statements
        ours = migrations.push(conn, migdir, report=lambda _m: None)
        assert [m.filename for m in ours] == names[2:4]

    _add(project, names[4])
    again = _cli(project, "db", "push", "--db-url", url, "--yes")
    assert again.returncode == 0, again.stderr
    assert f"Applying migration {names[4]}" in again.stderr
    assert names[2] not in again.stderr  # ours were not re-applied

    listing = _cli(project, "migration", "list", "--db-url", url)
    assert listing.returncode == 0, listing.stderr
    versions = [n.split("_")[0] for n in names]
    assert _listed(listing.stdout) == [(v, v) for v in versions]
    with fresh_db.connect("postgres") as conn:
        assert migrations.push(conn, migdir, report=lambda _m: None) == []
        assert conn.execute("select g(), f()").fetchone() == (1, 1)


def test_cli_refuses_after_an_sql_error_we_left_no_partial_state(fresh_db, project: Path) -> None:  # type: ignore[no-untyped-def]
    url = fresh_db.url() + "?sslmode=disable"
    migdir = project / "supabase" / "migrations"
    (migdir / "20260101000000_interop-broken.sql").write_text("create table half (n int);\nselect 1/0;\n")
    with fresh_db.connect("postgres") as conn:
        conn.execute("drop schema supabase_migrations cascade")
        with pytest.raises(migrations.MigrationError, match=r"statement 2 failed \(22012\)"):
            migrations.push(conn, migdir, report=lambda _m: None)
    # The CLI sees the file as still pending (no ledger row, no table), and fails the same way.
    failed = _cli(project, "db", "push", "--db-url", url, "--yes")
    assert failed.returncode == 1
    assert "division by zero (SQLSTATE 22012)" in failed.stderr
    with fresh_db.connect("postgres") as conn:
        assert conn.execute("select to_regclass('public.half')").fetchone() == (None,)


def test_the_repository_migrations_apply_with_the_cli(pg_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Our own migrations (symlinks into sql/) are read and applied by the CLI unchanged."""
    (tmp_path / "supabase").mkdir()
    shutil.copy(paths.SUPABASE_DIR / "config.toml", tmp_path / "supabase" / "config.toml")
    (tmp_path / "supabase" / "migrations").symlink_to(paths.MIGRATIONS_DIR)
    name = f"ws_cli_{uuid.uuid4().hex[:8]}"
    pg_server.create_database(name)
    try:
        with psycopg.connect(pg_server.admin_url_for(name), autocommit=True) as admin:
            shim.apply(admin)
        url = pg_server.url("postgres", name)
        pushed = _cli(tmp_path, "db", "push", "--db-url", url + "?sslmode=disable", "--yes")
        assert pushed.returncode == 0, pushed.stderr
        with psycopg.connect(url) as conn:
            applied = migrations.applied_migrations(conn)
            local = migrations.local_migrations(paths.MIGRATIONS_DIR)
            assert sorted(applied) == [m.version for m in local]
            assert migrations.edited_migrations(local, applied) == []
    finally:
        pg_server.drop_database(name)


def _load_config(project: Path) -> str:
    """What the pinned CLI prints while loading and validating the project's config.toml.

    `supabase db start` loads and validates the config first, then needs Docker; an unreachable
    DOCKER_HOST makes it stop right there, so nothing is started even where Docker runs."""
    _require_cli()
    env = {**os.environ, "SUPABASE_TELEMETRY_DISABLED": "1", "DO_NOT_TRACK": "1",
           "DOCKER_HOST": "unix:///nonexistent/docker.sock"}  # fmt: skip
    result = subprocess.run(
        [str(SUPABASE), "db", "start"], cwd=project, env=env, capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert "docker" in output.lower(), f"the CLI stopped before Docker, so the config did not load: {output}"
    return output


def test_the_cli_keeps_every_sign_in_method_of_our_config(project: Path) -> None:
    output = _load_config(project)
    assert [line for line in output.splitlines() if "WARN" in line] == [], output


def test_the_config_check_sees_a_disabled_phone_login(project: Path) -> None:
    # The check above is sensitive: without an SMS provider the CLI turns phone sign-in off.
    config = project / "supabase" / "config.toml"
    text = config.read_text(encoding="utf-8")
    block = text[text.index("[auth.sms.twilio]") :]
    config.write_text(
        text.replace(block, block.replace("enabled = true", "enabled = false", 1)), encoding="utf-8"
    )
    assert "WARN: no SMS provider is enabled. Disabling phone login" in _load_config(project)
