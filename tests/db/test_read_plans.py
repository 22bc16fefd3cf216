"""The plans of a listener's calls, pinned (issue 16).

Every call on a listener's path runs here against a room large enough that a plan which grows with
the data would be chosen: 30,000 tracks in the catalogue (queue_top's old generic plan hash-joined
a sequential scan of ``tracks`` from ~22,000), 5,000 present listeners with their personal topics,
follows and blocks, 2,000 queued requests with votes, 20,000 chat lines and 5,000 log entries,
statistics fresh. auto_explain reports the plan of
every statement the call runs, nested ones included (``log_nested_statements``: the RPC's own
queries, its helpers', its RLS policies'), as notices; no statement may scan a growing table
sequentially. The statements' costs at 2 K and 400 K tracks are measured in ``make bench --suite
reads``; this test keeps the shapes that make them flat.
"""

from __future__ import annotations

import re
from typing import Any

import psycopg
import pytest

from tests.support.api import Api, make_dj, make_session
from tests.support.gotrue import AuthUser, create_user

TRACKS, LISTENERS, REQUESTS, VOTES_EACH, CHAT, LOG = 30_000, 5_000, 2_000, 5, 20_000, 5_000
#: Tables that grow with the catalogue, the crowd, the queue, the chat or the log.
GROWING = {
    "tracks", "queue_items", "queue_votes", "chat_messages", "session_members", "realtime_log", "realtime_topics",
    "users", "profiles", "room_snapshots", "follows", "blocks", "moderation_log",
}  # fmt: skip
SEQ_SCAN = re.compile(r"Seq Scan on (?:\w+\.)?(\w+)")


def _grow(db: psycopg.Connection, session_id: str) -> None:
    """Bulk history for ``session_id``, loaded as an import (triggers off), then analysed."""
    uid = "('c0ffee00-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid"
    db.execute(
        f"insert into auth.users (id, aud, role, phone, phone_confirmed_at, raw_app_meta_data, raw_user_meta_data,"
        f" created_at, updated_at) select {uid}, 'authenticated', 'authenticated', '1777' || lpad(n::text, 7, '0'),"
        f" now(), '{{\"provider\":\"phone\"}}', '{{}}', now(), now() from generate_series(1, {LISTENERS}) as n"
    )
    db.execute("reset role")
    db.execute("set local session_replication_role = replica")
    db.execute(
        "insert into public.tracks (provider, provider_track_id, title, artist, duration_ms)"
        f" select 'spotify', 'plan' || n, 'Track ' || n, 'Artist ' || mod(n, 300), 180000"
        f" from generate_series(1, {TRACKS}) as n"
    )
    db.execute(
        f"insert into public.session_members (session_id, user_id) select %s, {uid}"
        f" from generate_series(1, {LISTENERS}) as n",
        (session_id,),
    )
    db.execute(
        f"""
        insert into public.queue_items (session_id, track_id, requested_by, requested_at, rank_key, upvotes)
        select %s, t.id, {uid.replace("n::text", f"(1 + mod(n, {LISTENERS}))::text")},
          now() - make_interval(secs => n), array[0, -mod(n, 97), n]::bigint[], {VOTES_EACH}
        from generate_series(1, {REQUESTS}) as n join public.tracks as t on t.provider_track_id = 'plan' || (n * 13)
        """,
        (session_id,),
    )
    db.execute(
        f"""
        insert into public.queue_votes (item_id, user_id, session_id, value)
        select q.id, {uid.replace("n::text", f"(1 + mod(q.n * {VOTES_EACH} + v, {LISTENERS}))::text")}, %s, 1
        from (select id, row_number() over (order by id) as n from public.queue_items where session_id = %s) as q,
          generate_series(1, {VOTES_EACH}) as v
        on conflict do nothing
        """,
        (session_id, session_id),
    )
    db.execute(
        f"insert into public.chat_messages (id, session_id, author_id, body, created_at)"
        f" select gen_random_uuid(), %s, {uid.replace('n::text', f'(1 + mod(n, {LISTENERS}))::text')},"
        f" 'history line ' || n, now() - make_interval(secs => n) from generate_series(1, {CHAT}) as n",
        (session_id,),
    )
    topic = f"session:{session_id}"
    db.execute(
        """
        insert into private.realtime_log (topic, seq, event, payload, recipients, created_at, sent)
        select %s::text, t.last_seq + n, 'tick',
          json_build_object('v', 1, 'seq', t.last_seq + n, 'ts', 0, 'event', 'tick', 'topic', %s::text,
            'data', json_build_object('chat', '[]'::json)), 0, now() - make_interval(secs => %s - n), false
        from private.realtime_topics as t, generate_series(1, %s) as n where t.topic = %s::text
        """,
        (topic, topic, LOG, LOG, topic),
    )
    db.execute(
        "update private.realtime_topics set delivery = 'pull', subscribers = 0,"
        " last_seq = (select max(seq) from private.realtime_log where topic = %s) where topic = %s",
        (topic, topic),
    )
    db.execute(  # every listener has a personal topic; some follow, some block
        f"insert into private.realtime_topics (topic) select 'user:' || {uid} from generate_series(1, {LISTENERS}) as n"
    )
    db.execute(
        f"insert into public.follows (follower_id, followee_id) select {uid},"
        f" {uid.replace('n::text', f'(1 + mod(n * 7, {LISTENERS}))::text')}"
        f" from generate_series(1, {LISTENERS}) as n where mod(n * 7, {LISTENERS}) + 1 <> n"
    )
    db.execute(
        f"insert into public.blocks (blocker_id, blocked_id) select {uid},"
        f" {uid.replace('n::text', f'(1 + mod(n * 11, {LISTENERS}))::text')}"
        f" from generate_series(1, {LISTENERS}, 5) as n where mod(n * 11, {LISTENERS}) + 1 <> n"
    )
    db.execute(
        "update public.dj_sessions set listener_count = %s, request_limit = 50 where id = %s",
        (LISTENERS, session_id),
    )
    db.execute("set local session_replication_role = origin")
    for table in ("auth.users", "public.profiles", "public.tracks", "public.session_members", "public.queue_items",
                  "public.queue_votes", "public.chat_messages", "private.realtime_log", "private.realtime_topics",
                  "public.follows", "public.blocks"):  # fmt: skip
        db.execute(f"analyze {table}")


@pytest.fixture
def big_room(db: psycopg.Connection, api: Api) -> tuple[dict[str, Any], AuthUser, AuthUser]:
    """A crowd room (pull mode) with its history; the DJ; a listener who joined through the API."""
    dj = make_dj(db)
    session = make_session(api, dj)
    _grow(db, session["id"])
    db.execute("set role postgres")
    listener = create_user(db)
    api(listener, "join_session", p_session_id=session["id"])
    db.execute("reset role")
    db.execute("load 'auto_explain'")
    for name, value in (("log_min_duration", "0"), ("log_nested_statements", "on"), ("log_level", "notice"),
                        ("log_analyze", "off"), ("log_format", "text")):  # fmt: skip
        db.execute(f"set local auto_explain.{name} = {value}")
    db.execute("set role postgres")
    return session, dj, listener


def _plans(db: psycopg.Connection, call: Any) -> list[str]:
    """The plans auto_explain reports while ``call()`` runs."""
    plans: list[str] = []

    def collect(diagnostic: psycopg.errors.Diagnostic) -> None:
        if diagnostic.message_primary and "plan:" in diagnostic.message_primary:
            plans.append(diagnostic.message_primary)

    db.add_notice_handler(collect)
    try:
        call()
    finally:
        db.remove_notice_handler(collect)
    return plans


CALLS: dict[str, tuple[str, dict[str, Any]]] = {
    "join_session": ("join_session", {}),
    "session_snapshot": ("session_snapshot", {}),
    "queue_top": ("queue_top", {"p_limit": 50}),
    "queue_top (200, read live)": ("queue_top", {"p_limit": 200}),
    "now_playing": ("now_playing", {}),
    "session_events_since": ("session_events_since", {"p_after_seq": LOG - 30}),
    "session_poll": ("session_poll", {"p_after_seq": LOG - 1}),
    "chat_since": ("chat_since", {"p_after_created_at": "2000-01-01T00:00:00Z"}),
    "chat_history": ("chat_history", {}),
    "heartbeat": ("heartbeat", {}),
    "send_message": ("send_message", {"p_body": "hello from the plan test",
                                      "p_client_id": "0e0e0e0e-0000-4000-8000-000000000001"}),
    "request_track": ("request_track", {"p_provider": "spotify", "p_provider_track_id": "a-new-one",
                                        "p_title": "A new song", "p_artist": "Someone", "p_duration_ms": 200_000}),
}  # fmt: skip


@pytest.mark.parametrize("title", CALLS)
def test_a_listeners_call_scans_no_growing_table(
    title: str, db: psycopg.Connection, api: Api, big_room: tuple[dict[str, Any], AuthUser, AuthUser]
) -> None:
    session, _, listener = big_room
    function, args = CALLS[title]
    plans = _plans(db, lambda: api(listener, function, p_session_id=session["id"], **args))
    assert plans, "auto_explain reported nothing: the check would pass vacuously"
    scanned = {m.group(1) for plan in plans for m in SEQ_SCAN.finditer(plan)} & GROWING
    assert not scanned, f"{title} scans {sorted(scanned)} sequentially:\n" + "\n".join(
        p for p in plans if any(f"Seq Scan on {t}" in p or f".{t}" in p for t in scanned)
    )


def test_a_vote_scans_no_growing_table(
    db: psycopg.Connection, api: Api, big_room: tuple[dict[str, Any], AuthUser, AuthUser]
) -> None:
    session, _, listener = big_room
    item = db.execute(
        "select id from public.queue_items where session_id = %s and status = 'queued' order by rank_key, id"
        " limit 1 offset 7",
        (session["id"],),
    ).fetchone()
    assert item is not None
    plans = _plans(db, lambda: api(listener, "cast_vote", p_item_id=str(item[0]), p_value=1))
    assert plans
    assert not {m.group(1) for plan in plans for m in SEQ_SCAN.finditer(plan)} & GROWING


def test_queue_top_reads_the_rank_index_not_the_catalogue(
    db: psycopg.Connection, api: Api, big_room: tuple[dict[str, Any], AuthUser, AuthUser]
) -> None:
    session, _, listener = big_room
    plans = _plans(db, lambda: api(listener, "queue_top", p_session_id=session["id"], p_limit=200))
    assert any("queue_items_top_idx" in plan for plan in plans)
    assert not any("Hash Join" in plan and "tracks" in plan for plan in plans)
