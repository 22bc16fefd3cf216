"""Rooms and chat at scale: send_message and join_session in a 10,000-listener room, 1,000,000 chat
rows in the table, against an empty PostgREST transaction. Joins are by users not yet in the room
(the insert path); rejoins of present members are cheaper (no write)."""

from __future__ import annotations

import psycopg

from bench import data
from bench.harness import BASELINE, UID_PREFIX, transaction, uid_sql

SESSION_ID = data.SESSION_ID
TITLE = "Rooms and chat: send_message and join_session"
LISTENERS = 10_000
JOINERS = 30_000  # users not yet in the room: every measured join is a real insert
CHAT_ROWS = 1_000_000
OTHER_SESSIONS = 200

SEND = transaction(
    rf"\set u random(1, {LISTENERS})",
    uid_sql("u"),
    "/rpc/send_message",
    f"select to_jsonb(m) from public.send_message('{SESSION_ID}', 'a benchmark message for the room', "
    "gen_random_uuid()) as m;",
)
JOIN = transaction(
    rf"\set u random({LISTENERS + 1}, {LISTENERS + JOINERS})",
    uid_sql("u"),
    "/rpc/join_session",
    f"select to_jsonb(m) from public.join_session('{SESSION_ID}') as m;",
)


def load(admin_url: str) -> None:
    """Users, a live room with 10,000 present listeners, 1,000,000 chat rows across 201 sessions."""
    data.users_and_room(admin_url, users=LISTENERS + JOINERS, present=LISTENERS)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute("set role postgres")
        conn.execute(
            f"""
            insert into public.dj_sessions (dj_id, title, status)
            select {data.user_id_sql("n")}, 'Past session ' || n, 'live'
            from generate_series(1, {OTHER_SESSIONS}) as n
            """
        )
        conn.execute(f"update public.dj_sessions set status = 'ended' where id <> '{SESSION_ID}'")
    with psycopg.connect(admin_url) as conn:
        # Bulk history: written directly (triggers off), as an import would; the measured sends
        # go through every trigger. A fifth of it is the big room's.
        conn.execute("set local session_replication_role = replica")
        conn.execute(
            f"""
            insert into public.chat_messages (id, session_id, author_id, body, created_at)
            select gen_random_uuid(),
              case when n % 5 = 0 then '{SESSION_ID}'::uuid else s.ids[1 + n % {OTHER_SESSIONS}] end,
              ('{UID_PREFIX}' || lpad((1 + n % {LISTENERS})::text, 12, '0'))::uuid,
              'history message ' || n, now() - make_interval(secs => {CHAT_ROWS} - n)
            from generate_series(1, {CHAT_ROWS}) as n,
              (select array_agg(id) as ids from public.dj_sessions where id <> '{SESSION_ID}') as s
            """
        )
        # Measure the code path, not the anti-spam limit: a random user may otherwise burst.
        conn.execute("update private.settings set value = '1000000' where key = 'chat_rate_messages'")
    data.settle(admin_url)


def plans(url: str) -> dict[str, str]:
    """The query plans the room relies on, as a listener sees them (RLS on)."""
    return data.explain_as_listener(
        url,
        {
            "chat_history (first page, as a listener)": (
                f"select * from public.chat_history('{SESSION_ID}', null, null, 50)"
            ),
            "chat_history body (inlined SQL, RLS applied)": (
                f"select c.* from public.chat_messages c where c.session_id = '{SESSION_ID}'"
                " order by c.created_at desc, c.id desc limit 50"
            ),
            "session_directory (first page)": "select * from public.session_directory(20)",
        },
    )


DESCRIPTION = (
    f"a live room with {LISTENERS:,} present listeners, {CHAT_ROWS:,} chat rows in the table "
    f"({CHAT_ROWS // 5:,} in this room), {OTHER_SESSIONS} other sessions. join_session: a listener not yet "
    "in the room (the insert path)."
)
TARGETS = {"send_message": (5.0, 3.0), "join_session": (5.0, 3.0)}
SCENARIOS = [("baseline", BASELINE), ("send_message", SEND), ("join_session", JOIN)]
