"""The live queue at scale: 10,000 listeners, 2,000 queued requests, 200,000 votes; cast_vote and
reading the top 50 with ranks, against an empty PostgREST transaction."""

from __future__ import annotations

import psycopg

from bench import data
from bench.harness import BASELINE, transaction, uid_sql

TITLE = "Queue: cast_vote and the top 50"
LISTENERS = 10_000
ITEMS = 2_000
VOTES = 200_000
SESSION_ID = data.SESSION_ID
DESCRIPTION = (
    f"a live room with {LISTENERS:,} present listeners, {ITEMS:,} queued requests (hybrid policy) and "
    f"{VOTES:,} votes on them. cast_vote: a random listener votes up or down on a random request (most votes "
    "are new or changed, so they write). queue_top: the next 50 tracks with track and requester details."
)
#: Reads of the whole top 50 happen on join and resync (live changes arrive over Realtime).
RATES = {"queue_top": [100, 250, 500]}
#: name -> (p95 bound in ms, largest allowed ratio to the baseline's p95, or None)
TARGETS = {"cast_vote": (5.0, 3.0), "queue_top": (2.0, None)}

SCENARIOS = [
    ("baseline", BASELINE),
    (
        "cast_vote",
        transaction(
            f"\\set u random(1, {LISTENERS})\n\\set i random(1, {ITEMS})\n\\set v random(0, 1)",
            uid_sql("u"),
            "/rpc/cast_vote",
            "select to_jsonb(q) from public.cast_vote((select id from bench_items where n = :i), 2 * :v - 1) as q;",
        ),
    ),
    (
        "queue_top",
        transaction(
            f"\\set u random(1, {LISTENERS})",
            uid_sql("u"),
            "/rpc/queue_top",
            f"select public.queue_top('{SESSION_ID}', 50);",
        ),
    ),
]


def load(admin_url: str) -> None:
    """The room, its queue (requests from 2,000 different listeners) and 200,000 votes."""
    data.users_and_room(admin_url, users=LISTENERS, present=LISTENERS)
    with psycopg.connect(admin_url) as conn:
        conn.execute("set local role postgres")
        conn.execute(
            f"""
            insert into public.tracks (provider, provider_track_id, title, artist, duration_ms)
            select 'spotify', 'bench' || n, 'Track ' || n, 'Artist ' || (n % 300), 180000 + n
            from generate_series(1, {ITEMS}) as n
            """
        )
        conn.execute(
            f"""
            insert into public.queue_items (session_id, track_id, requested_by, requested_at, rank_key)
            select '{SESSION_ID}', t.id, {data.user_id_sql("n")}, now() - make_interval(secs => {ITEMS} - n), '{{}}'
            from generate_series(1, {ITEMS}) as n
            join public.tracks as t on t.provider_track_id = 'bench' || n
            """
        )
        # Votes: 100 per request on average, from distinct listeners; mostly up.
        conn.execute(
            f"""
            insert into public.queue_votes (item_id, user_id, session_id, value)
            select q.id, {data.user_id_sql("1 + (q.k * 97 + v) % " + str(LISTENERS))}, '{SESSION_ID}',
              case when (q.k + v) % 4 = 0 then -1 else 1 end
            from (select id, row_number() over (order by requested_at) as k from public.queue_items) as q,
              generate_series(1, {VOTES // ITEMS}) as v
            on conflict do nothing
            """
        )
        conn.execute(
            """
            update public.queue_items as q set upvotes = c.up, downvotes = c.down
            from (select item_id, count(*) filter (where value = 1) as up, count(*) filter (where value = -1) as down
                  from public.queue_votes group by item_id) as c
            where c.item_id = q.id
            """
        )
        conn.execute("select private.rerank_session(%s)", (SESSION_ID,))
        conn.execute(
            "update public.queue_items as q set rank_key = public.queue_rank_key_v1('hybrid', null,"
            " q.upvotes - q.downvotes, 0, 5, q.fair_round, q.requested_at)"
        )
        data.numbered_ids(conn, "bench_items", "select id from public.queue_items")
    data.settle(admin_url)


def plans(url: str) -> dict[str, str]:
    """The plan of the top-of-queue read (index range scan on queue_items_top_idx)."""
    return data.explain_as_listener(
        url,
        {
            "queue_top body (RLS applied)": "select q.* from public.queue_items q"
            f" where q.session_id = '{SESSION_ID}' and q.status = 'queued' order by q.rank_key, q.id limit 50"
        },
    )
