"""Ask the database what Supabase Realtime asks it when a client joins a private channel.

Realtime (``lib/realtime/tenants/authorization.ex``) checks a JWT against the RLS policies on
``realtime.messages``, in a transaction it always rolls back:

* **read** (may join and receive): as its own connection role (bypassing RLS) it inserts one
  probe row per extension (``broadcast``, ``presence``) holding only id, topic, extension and
  timestamps; then sets ``role``, ``realtime.topic``, ``request.jwt.claims``,
  ``request.jwt.claim.sub``/``.role`` and ``request.headers`` transaction-locally and selects the
  probes back: a probe that comes back means read is allowed for that extension;
* **write** (may broadcast or track presence): with the same settings, inserts a probe per
  extension under a savepoint; success means allowed, ``42501`` means denied.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable

import psycopg
from psycopg import sql

from tests.support.postgrest import Identity

EXTENSIONS = ("broadcast", "presence")


def _settings(conn: psycopg.Connection, who: Identity, topic: str) -> None:
    claims = dict(who.claims or {})
    conn.execute(
        "select set_config('role', %(role)s, true),"
        " set_config('realtime.topic', %(topic)s, true),"
        " set_config('request.jwt.claims', %(claims)s, true),"
        " set_config('request.jwt.claim.sub', %(sub)s, true),"
        " set_config('request.jwt.claim.role', %(role)s, true),"
        " set_config('request.headers', '{}', true)",
        {
            "role": who.role,
            "topic": topic,
            "claims": json.dumps(claims),
            "sub": str(claims.get("sub", "")),
        },
    )


def _probe(conn: psycopg.Connection, topic: str, extension: str) -> tuple[uuid.UUID, dt.datetime]:
    probe_id, now = uuid.uuid4(), dt.datetime.now(dt.UTC).replace(tzinfo=None)
    conn.execute(
        "insert into realtime.messages (id, topic, extension, inserted_at, updated_at)"
        " values (%s, %s, %s, %s, %s)",
        (probe_id, topic, extension, now, now),
    )
    return probe_id, now


def _rolled_back(conn: psycopg.Connection) -> sql.Composed:
    name = f"rt_{uuid.uuid4().hex[:12]}"
    conn.execute(sql.SQL("savepoint {}").format(sql.Identifier(name)))
    return sql.SQL("rollback to savepoint {}").format(sql.Identifier(name))


def can_read(
    conn: psycopg.Connection, who: Identity, topic: str, extensions: Iterable[str] = EXTENSIONS
) -> dict[str, bool]:
    """Per extension: may ``who`` join ``topic`` and receive its messages?"""
    role = conn.execute("select current_user").fetchone()[0]  # type: ignore[index]
    undo = _rolled_back(conn)
    try:
        probes = {ext: _probe(conn, topic, ext)[0] for ext in extensions}
        _settings(conn, who, topic)
        seen = {
            r[0]
            for r in conn.execute(
                "select id from realtime.messages where id = any(%s)", (list(probes.values()),)
            ).fetchall()
        }
        return {ext: probe in seen for ext, probe in probes.items()}
    finally:
        conn.execute(undo)
        conn.execute("select set_config('role', %s, true)", (role,))


def can_write(
    conn: psycopg.Connection, who: Identity, topic: str, extensions: Iterable[str] = EXTENSIONS
) -> dict[str, bool]:
    """Per extension: may ``who`` broadcast (or track presence) on ``topic``?"""
    role = conn.execute("select current_user").fetchone()[0]  # type: ignore[index]
    undo = _rolled_back(conn)
    allowed: dict[str, bool] = {}
    try:
        _settings(conn, who, topic)
        for ext in extensions:
            inner = _rolled_back(conn)
            try:
                _probe(conn, topic, ext)
                allowed[ext] = True
            except psycopg.errors.InsufficientPrivilege:
                allowed[ext] = False
            conn.execute(inner)
        return allowed
    finally:
        conn.execute(undo)
        conn.execute("select set_config('role', %s, true)", (role,))
