"""Keep the seeded demo room live while `make dev` runs, and bring it back when it ended (development only).

The seed (supabase/seed.sql) makes a live room, ``DEMO_SESSION``, run by a demo DJ whose app
never heartbeats: the service's maintenance would end it as abandoned, and the seed ledger never
runs the seed again. So `whatssound dev`:

* beats for the demo users in their DJs' live rooms, as their apps would (``public.heartbeat``
  as each user, the way PostgREST calls it), once before the service starts and then every
  ``demo_heartbeat_s``;
* when the demo room has ended (and its DJ has no other live room), re-opens it: same id, same
  chat and queue, its members back in (see :func:`revive`).

Nothing here is imported by the production service (``whatssound serve``).
"""

from __future__ import annotations

import json
import logging
import threading
from typing import Any, LiteralString

import psycopg

logger = logging.getLogger(__name__)

DEMO_SESSION = "d5000000-0000-4000-8000-000000000001"

#: Demo users (seeded with ``raw_app_meta_data.demo``) who were ever in a demo DJ's live room.
_DEMO_MEMBERS = """
select m.session_id, m.user_id from public.session_members as m
join public.dj_sessions as s on s.id = m.session_id and s.status = 'live'
join auth.users as dj on dj.id = s.dj_id and dj.raw_app_meta_data ->> 'demo' = 'true'
join auth.users as u on u.id = m.user_id and u.raw_app_meta_data ->> 'demo' = 'true'
order by m.session_id, m.user_id
"""


def _as_user(
    conn: psycopg.Connection, user_id: Any, statement: LiteralString, params: tuple[Any, ...]
) -> None:
    """Run ``statement`` as ``user_id`` the way PostgREST does, in a savepoint: a refusal is logged."""
    claims = json.dumps({"sub": str(user_id), "role": "authenticated"})
    try:
        with conn.transaction():
            conn.execute("select set_config('request.jwt.claims', %s, true)", (claims,))
            conn.execute("set local role authenticated")
            conn.execute(statement, params)
            conn.execute("reset role")
    except psycopg.Error as exc:
        logger.debug("demo step refused: %s", exc.diag.message_primary, extra={"user": str(user_id)})


def beat(url: str) -> int:
    """Heartbeat for every demo member of a demo DJ's live room; returns how many."""
    with psycopg.connect(url) as conn:
        members = conn.execute(_DEMO_MEMBERS).fetchall()
        for session_id, user_id in members:
            _as_user(conn, user_id, "select public.heartbeat(%s)", (session_id,))
        conn.commit()
    return len(members)


def revive(admin_url: str) -> bool:
    """Re-open the demo room if it ended (and its DJ has no other live room); returns whether it did.

    Sessions go scheduled -> live -> ended and the lifecycle trigger refuses the way back, so the
    status is set with triggers off (``session_replication_role``, superuser: ``admin_url``), for
    this one row; its chat, queue and votes are kept as they were. Its members were made to leave
    when it ended: the next :func:`beat` rejoins them through ``public.heartbeat``.
    """
    with psycopg.connect(admin_url) as conn, conn.transaction():
        conn.execute("set local session_replication_role = replica")
        reopened = conn.execute(
            "update public.dj_sessions as s"
            " set status = 'live', started_at = now(), ended_at = null, updated_at = now()"
            " where s.id = %s and s.status = 'ended' and not exists ("
            "   select 1 from public.dj_sessions as l where l.dj_id = s.dj_id and l.status = 'live')",
            (DEMO_SESSION,),
        ).rowcount
    if reopened:
        logger.warning("the demo room had ended: re-opened it", extra={"session": DEMO_SESSION})
    return bool(reopened)


def keep_alive(url: str, interval_s: float) -> threading.Event:
    """Beat for the demo users every ``interval_s`` in a daemon thread until the returned event is set."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(interval_s):
            try:
                beat(url)
            except psycopg.Error as exc:
                logger.warning("demo heartbeat failed: %s", type(exc).__name__)

    threading.Thread(target=loop, name="demo-heartbeat", daemon=True).start()
    return stop
