"""Realtime: the join authorization check as Supabase Realtime runs it, on a private session with
10,000 members, and the write path of chat in small rooms (each message broadcast at once), against
an empty PostgREST transaction. The big-room write path (buffered for ticks) is measured by the
rooms and queue suites, whose send_message and cast_vote now include their realtime rows."""

from __future__ import annotations

import psycopg

from bench import data
from bench.harness import BASELINE, transaction, uid_sql

TITLE = "Realtime: join authorization and the broadcast write path"
SESSION_ID = data.SESSION_ID
MEMBERS = 10_000
SMALL_ROOMS = 200
SMALL_ROOM_MEMBERS = 20  # users 1..4,000 are also members of one small room each

# What Realtime runs when a client joins a private channel (lib/realtime/tenants/authorization.ex):
# in a transaction it rolls back, probe rows are inserted as its own role, then the user's role,
# claims and topic are set and the probes selected back (read: broadcast and presence).
#: The topic, spelled so that pgbench does not take ":b000..." inside a literal for a variable.
TOPIC = f"('session' || ':' || '{SESSION_ID}')"
JOIN_CHECK = "\n".join(
    [
        rf"\set u random(1, {MEMBERS})",
        "begin;",
        "select set_config('bench.pb', gen_random_uuid()::text, true), set_config('bench.pp', gen_random_uuid()::text, true);",
        "insert into realtime.messages (id, topic, extension) values"
        f" (current_setting('bench.pb')::uuid, {TOPIC}, 'broadcast'),"
        f" (current_setting('bench.pp')::uuid, {TOPIC}, 'presence');",
        "select set_config('role', 'authenticated', true),"
        f" set_config('realtime.topic', {TOPIC}, true),"
        " set_config('request.jwt.claims', json_build_object('sub', "
        + uid_sql("u")
        + ", 'role', 'authenticated')::text, true),"
        " set_config('request.jwt.claim.sub', " + uid_sql("u") + ", true),"
        " set_config('request.jwt.claim.role', 'authenticated', true),"
        " set_config('request.headers', '{}', true);",
        "select extension from realtime.messages"
        " where id in (current_setting('bench.pb')::uuid, current_setting('bench.pp')::uuid);",
        "rollback;",
    ]
)
#: The policy's check alone, as the member (what Realtime's select adds to an empty transaction).
CAN_READ = transaction(
    rf"\set u random(1, {MEMBERS})",
    uid_sql("u"),
    "/realtime/join",
    f"select set_config('realtime.topic', {TOPIC}, true), hidden.realtime_can_read({TOPIC});",
)
SEND_SMALL = transaction(
    rf"\set u random(1, {SMALL_ROOMS * SMALL_ROOM_MEMBERS})",
    uid_sql("u"),
    "/rpc/send_message",
    "select to_jsonb(m) from public.send_message((select id from bench_rooms where n = 1 + (:u - 1) / "
    f"{SMALL_ROOM_MEMBERS}), 'a small-room message', gen_random_uuid()) as m;",
)


def load(admin_url: str) -> None:
    """The 10,000-member private room, and 200 small public rooms of 20 members (each sends at once)."""
    data.users_and_room(admin_url, users=MEMBERS, present=MEMBERS)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute("set role postgres")
        conn.execute(f"update public.dj_sessions set visibility = 'private' where id = '{SESSION_ID}'")
        conn.execute(
            f"""
            insert into public.dj_sessions (dj_id, title, status)
            select {data.user_id_sql("n")}, 'Small room ' || n, 'live' from generate_series(1, {SMALL_ROOMS}) as n
            """
        )
        data.numbered_ids(
            conn, "bench_rooms", f"select id from public.dj_sessions where id <> '{SESSION_ID}'"
        )
        conn.execute(
            f"""
            insert into public.session_members (session_id, user_id)
            select r.id, {data.user_id_sql("(r.n - 1) * " + str(SMALL_ROOM_MEMBERS) + " + m")}
            from public.bench_rooms as r, generate_series(1, {SMALL_ROOM_MEMBERS}) as m
            """
        )
        conn.execute(
            f"update public.dj_sessions set listener_count = {SMALL_ROOM_MEMBERS} where id <> '{SESSION_ID}'"
        )
        conn.execute("update private.settings set value = '1000000' where key = 'chat_rate_messages'")
        # Budgets so generous that every small-room message is broadcast at once: the write path
        # measured is the immediate one (broadcast and log), not the cheaper buffered one.
        conn.execute(
            "update private.settings set value = '10000000' where key in ('realtime_listener_budget_per_minute',"
            " 'realtime_burst', 'realtime_project_messages_per_second')"
        )
        conn.execute("select private.realtime_flush()")  # budgets allocated from the rooms' sizes
    data.settle(admin_url)


def plans(url: str) -> dict[str, str]:
    """The lookup the join check relies on (as a member of the private room)."""
    return data.explain_as_listener(
        url,
        {
            "membership lookup inside hidden.realtime_can_read": "select 1 from public.session_members as m"
            f" where m.session_id = '{SESSION_ID}' and m.user_id = {data.user_id_sql('42')}"
        },
    )


DESCRIPTION = (
    f"a live private session with {MEMBERS:,} members (the join check's most expensive branch: membership), "
    f"and {SMALL_ROOMS} public rooms of {SMALL_ROOM_MEMBERS} members. join_check: Realtime's probe transaction "
    "for a random member (insert two probes, set role/claims/topic, select them back through the RLS policy, "
    "roll back), run as supabase_admin as Realtime does; 2,500/s is the Pro/Team join limit. can_read: the policy's "
    "check alone (hidden.realtime_can_read) in a PostgREST-shaped transaction, to compare with the baseline. send_small_rooms: "
    "send_message by a random member of a random small room, each message broadcast at once (budgets set "
    "high for the measurement)."
)
#: Offered rates per scenario (the baseline runs at each of them).
RATES = {"can_read": [500, 2500], "join_check": [500, 1000, 2500], "send_small_rooms": [500, 1000]}
ONLY_THESE_RATES = True
#: name -> (p95 bound in ms, largest allowed ratio to the baseline's p95, or None)
TARGETS = {"can_read": (1.0, None), "join_check": (5.0, None), "send_small_rooms": (5.0, 3.0)}
USERS = {"join_check": "supabase_admin"}
SCENARIOS = [
    ("baseline", BASELINE),
    ("can_read", CAN_READ),
    ("join_check", JOIN_CHECK),
    ("send_small_rooms", SEND_SMALL),
]
