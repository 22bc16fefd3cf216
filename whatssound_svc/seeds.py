"""Load seed data the way the Supabase CLI does, sharing its ``seed_files`` ledger.

``[db.seed] sql_paths`` in ``supabase/config.toml`` lists the files (globs relative to
``supabase/``). A file is run once, in one transaction, and recorded with the SHA-256 of its
bytes in ``supabase_migrations.seed_files``; when a recorded file changes only its hash is
updated (as the CLI does): reseed with ``make db-reset``.
"""

from __future__ import annotations

import hashlib
import logging
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import psycopg
from psycopg import sql

from whatssound_svc import migrations, paths
from whatssound_svc.sqlsplit import split_statements

logger = logging.getLogger(__name__)
Report = Callable[[str], None]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


def seed_files(supabase_dir: Path = paths.SUPABASE_DIR) -> list[tuple[str, Path]]:
    """(ledger path, file) for each configured seed file, in configured order."""
    config = tomllib.loads((supabase_dir / "config.toml").read_text())
    seed = config.get("db", {}).get("seed", {})
    if not seed.get("enabled", True):
        return []
    found: list[tuple[str, Path]] = []
    for pattern in seed.get("sql_paths", ["./seed.sql"]):
        relative = Path(pattern)
        matches = sorted(supabase_dir.glob(str(relative)), key=lambda p: str(p).encode())
        if not matches:
            logger.warning("no seed files matched %s", pattern)
        for match in matches:
            ledger_path = f"{supabase_dir.name}/{match.relative_to(supabase_dir).as_posix()}"
            if all(ledger_path != known for known, _ in found):
                found.append((ledger_path, match))
    return found


def apply_seeds(
    conn: psycopg.Connection,
    supabase_dir: Path = paths.SUPABASE_DIR,
    *,
    report: Report = _stderr,
) -> list[str]:
    """Run seed files never run here; returns the ledger paths that ran."""
    migrations.create_ledger_objects(
        conn,
        "create table if not exists supabase_migrations.seed_files"
        " (path text not null primary key, hash text not null)",
    )
    known: dict[str, str] = dict(
        conn.execute("select path, hash from supabase_migrations.seed_files").fetchall()
    )
    ran: list[str] = []
    for ledger_path, file in seed_files(supabase_dir):
        content = file.read_bytes()
        digest = hashlib.sha256(content).hexdigest()
        if known.get(ledger_path) == digest:
            continue
        with conn.transaction():
            if ledger_path in known:
                report(f"Updating seed hash to {ledger_path} (not re-run: `make db-reset` reseeds)")
            else:
                report(f"Seeding data from {ledger_path}...")
                for statement in split_statements(content.decode("utf-8")):
                    conn.execute(sql.SQL(statement))  # trusted repo file
                ran.append(ledger_path)
            conn.execute(
                "insert into supabase_migrations.seed_files (path, hash) values (%s, %s)"
                " on conflict (path) do update set hash = excluded.hash",
                (ledger_path, digest),
            )
    return ran
