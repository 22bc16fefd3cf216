"""Apply the local Supabase compatibility shim (``sql/shim/*.sql``) to a local database.

Never used against Supabase: the shim's own guard refuses a database that Supabase manages,
and :func:`is_supabase_managed` lets callers skip it there without trying.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import psycopg
from psycopg import sql

from whatssound_svc import paths
from whatssound_svc.errors import ShimRefused

logger = logging.getLogger(__name__)

#: SQLSTATE the shim's guard raises.
SHIM_REFUSED = "WSHIM"


def shim_files(directory: Path = paths.SHIM_DIR) -> list[Path]:
    """The shim's SQL files in apply order."""
    return sorted(directory.glob("*.sql"))


def shim_hash(directory: Path = paths.SHIM_DIR) -> str:
    """A digest of the shim's content: a changed shim is re-applied on the next bootstrap."""
    digest = hashlib.sha256()
    for file in shim_files(directory):
        digest.update(file.name.encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def is_supabase_managed(conn: psycopg.Connection) -> bool:
    """Whether this looks like a real Supabase database (its services' ledgers exist)."""
    row = conn.execute(
        "select coalesce(to_regclass('auth.schema_migrations'), to_regclass('storage.migrations'),"
        " to_regclass('realtime.schema_migrations')) is not null"
    ).fetchone()
    return bool(row and row[0])


def applied_hash(conn: psycopg.Connection) -> str | None:
    """The hash of the shim this database has, if any."""
    if conn.execute("select to_regclass('supabase_shim.info')").fetchone() == (None,):
        return None
    row = conn.execute("select shim_hash from supabase_shim.info").fetchone()
    return row[0] if row else None


def apply(conn: psycopg.Connection, directory: Path = paths.SHIM_DIR) -> bool:
    """Apply the shim in one transaction unless this exact version is already there.

    ``conn`` must be a superuser connection in autocommit mode. Returns whether it applied.
    """
    wanted = shim_hash(directory)
    if applied_hash(conn) == wanted:
        return False
    try:
        with conn.transaction():
            for file in shim_files(directory):
                conn.execute(sql.SQL(file.read_text()))  # repo file
            conn.execute(
                "insert into supabase_shim.info (shim_hash) values (%s)"
                " on conflict (singleton) do update set shim_hash = excluded.shim_hash,"
                " applied_at = now()",
                (wanted,),
            )
    except psycopg.Error as exc:
        if exc.sqlstate == SHIM_REFUSED:
            raise ShimRefused(exc.diag.message_primary) from exc
        raise
    logger.info("local Supabase shim applied", extra={"shim_hash": wanted[:12]})
    return True
