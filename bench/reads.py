"""`make bench --suite reads` (issue 16): every call on a listener's path at 1,000 a second, beside
the empty PostgREST transaction measured in the same run, at two data sizes; and the join and
reconnect storms of a 10,000-listener event.

The room: 10,000 present listeners (a crowd: pull mode), the DJ playing, a queue with votes, its
chat, its log of entries. Measured twice: at the small size (2,000 tracks in the catalogue, 200
queued requests, 20,000 chat lines, 5,000 log entries) and after growing it to the large size
(400,000 tracks, 20,000 requests, 1,000,000 chat lines, 200,000 log entries): a read whose cost
grows with them fails ("Grows" column). Each call is a PostgREST transaction offered at a fixed
rate by pgbench (10 connections), right after the empty transaction (the floor) measured the same
way: each call is judged against the floor beside it, since a shared machine's p95 drifts from
minute to minute. "DB ms" is the call's mean execution time in pg_stat_statements (what the
database spends, whatever else the machine does).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import psycopg

from bench import data, report
from bench.harness import BASELINE, Result, run_pgbench, transaction, uid_sql
from whatssound_svc.lab.simulate import cpu
from whatssound_svc.local.cluster import LocalCluster

SESSION_ID = data.SESSION_ID
TOPIC = f"session:{SESSION_ID}"
LISTENERS = 10_000
JOINERS = 20_000  # users not in the room, for joins and the join storm
RATE = 1_000
TITLE = "Fast reads: a listener's calls at 1,000/s, at two data sizes, and the event's storms"


@dataclass(frozen=True)
class Size:
    """How much history the room and the project carry."""

    name: str
    tracks: int
    requests: int
    chat: int
    log: int


SMALL = Size("small", tracks=2_000, requests=200, chat=20_000, log=5_000)
LARGE = Size("large", tracks=400_000, requests=20_000, chat=1_000_000, log=200_000)
#: The call's statement, as the harness sends it (to find it in pg_stat_statements).
CALLS: dict[str, str] = {
    "join_session": f"select to_jsonb(m) from public.join_session('{SESSION_ID}') as m;",
    "session_snapshot": f"select public.session_snapshot('{SESSION_ID}');",
    "queue_top": f"select public.queue_top('{SESSION_ID}', 50);",
    "now_playing": f"select to_jsonb(n) from public.now_playing('{SESSION_ID}') as n;",
    "session_events_since": f"select public.session_events_since('{SESSION_ID}', greatest(:last - 30, 0), 100);",
    "session_poll": f"select public.session_poll('{SESSION_ID}', greatest(:last - 1, 0));",
    "chat_since": f"select coalesce(json_agg(c), '[]') from public.chat_since('{SESSION_ID}', now() - interval '10 seconds') as c;",
    "send_message": f"select to_jsonb(m) from public.send_message('{SESSION_ID}', 'a benchmark line', gen_random_uuid()) as m;",
    "cast_vote": "select to_jsonb(q) from public.cast_vote((select id from bench_items where n = :i), 2 * :v - 1) as q;",
    "heartbeat": f"select to_jsonb(m) from public.heartbeat('{SESSION_ID}') as m;",
    "request_track": f"select to_jsonb(r) from public.request_track('{SESSION_ID}', 'spotify', gen_random_uuid()::text,"
    " 'A new song', 'Someone', 200000) as r;",
}  # fmt: skip
#: Reads (their DB time may not grow with the data; the poll has a tighter bound).
READS = (
    "join_session",
    "session_snapshot",
    "queue_top",
    "now_playing",
    "session_events_since",
    "session_poll",
    "chat_since",
)
READ_MS, POLL_MS = 1.0, 0.3
#: Calls that write (commit WAL): also shown against the write floor, one row inserted and
#: committed synchronously in the same PostgREST transaction shape.
WRITES = ("join_session", "send_message", "cast_vote", "heartbeat", "request_track")
WRITE_FLOOR = transaction(r"\set u random(1, 10000)", uid_sql("u"), "/rpc/noop",
                          "insert into public.bench_writes default values;")  # fmt: skip


def _script(name: str) -> str:
    variables = (f"\\set u random(1, {LISTENERS})\n\\set i random(1, :items)\n\\set v random(0, 1)\n"
                 "\\set last :last_seq")  # fmt: skip
    return transaction(variables, uid_sql("u"), f"/rpc/{name}", CALLS[name])


def _load_room(admin_url: str) -> None:
    data.users_and_room(admin_url, users=LISTENERS + JOINERS, present=LISTENERS)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute("alter system set track_functions = 'all'")
        conn.execute("select pg_reload_conf()")
        conn.execute("set role postgres")
        conn.execute("create table public.bench_writes (id bigint generated always as identity primary key,"
                     " at timestamptz not null default now())")  # fmt: skip
        conn.execute("alter table public.bench_writes enable row level security")
        conn.execute(
            'create policy "bench" on public.bench_writes for insert to authenticated with check (true)'
        )
        conn.execute("grant insert on public.bench_writes to authenticated")
        conn.execute(
            f"update public.session_members set role = 'dj' where session_id = '{SESSION_ID}' and user_id = '{data.DJ}'"
        )
        conn.execute(f"update public.dj_sessions set request_limit = 50 where id = '{SESSION_ID}'")
        conn.execute(
            "update private.settings set value = '1000000' where key in ('chat_rate_messages', 'reaction_rate_capacity')"
        )
        conn.execute(
            f"update private.realtime_topics set delivery = 'pull', subscribers = 0 where topic = '{TOPIC}'"
        )


def _grow(admin_url: str, size: Size, already: Size | None) -> None:
    """Add what ``size`` has beyond ``already``: tracks, queued requests with votes, chat, log."""
    have = already or Size("none", 0, 0, 0, 0)
    with psycopg.connect(admin_url) as conn:
        conn.execute("set local session_replication_role = replica")  # bulk history, as an import
        conn.execute(
            "insert into public.tracks (provider, provider_track_id, title, artist, duration_ms)"
            " select 'spotify', 'bench' || n, 'Track ' || n, 'Artist ' || mod(n, 300), 180000 + mod(n, 60000)"
            " from generate_series(%s::integer, %s::integer) as n",
            (have.tracks + 1, size.tracks),
        )
        conn.execute(
            f"""
            insert into public.queue_items (session_id, track_id, requested_by, requested_at, rank_key, upvotes)
            select '{SESSION_ID}', t.id, {data.user_id_sql(f"1 + mod(n, {LISTENERS})")},
              now() - make_interval(secs => n), array[0, -mod(n, 97), n]::bigint[], mod(n, 97)
            from generate_series(%s::integer, %s::integer) as n
            join public.tracks as t on t.provider_track_id = 'bench' || (mod(n * 17, {size.tracks}) + 1)
            on conflict do nothing
            """,
            (have.requests + 1, size.requests),
        )
        conn.execute(
            f"""
            insert into public.chat_messages (id, session_id, author_id, body, created_at)
            select gen_random_uuid(), '{SESSION_ID}', {data.user_id_sql(f"1 + mod(n, {LISTENERS})")},
              'history line ' || n, now() - make_interval(secs => n)
            from generate_series(%s::integer, %s::integer) as n
            """,
            (have.chat + 1, size.chat),
        )
        conn.execute(
            """
            insert into private.realtime_log (topic, seq, event, payload, recipients, created_at, sent)
            select %s::text, t.last_seq + n, 'tick',
              json_build_object('v', 1, 'seq', t.last_seq + n, 'ts', 0, 'event', 'tick', 'topic', %s::text,
                'data', json_build_object('chat', '[]'::json, 'padding', repeat('x', 600))),
              0, now() - make_interval(secs => %s::integer - n), false
            from private.realtime_topics as t, generate_series(1, %s::integer - %s::integer) as n where t.topic = %s::text
            """,
            (TOPIC, TOPIC, size.log, size.log, have.log, TOPIC),
        )
        conn.execute(
            "update private.realtime_topics set last_seq = (select max(seq) from private.realtime_log where topic = %s)"
            " where topic = %s",
            (TOPIC, TOPIC),
        )
        conn.execute("drop table if exists public.bench_items")
        data.numbered_ids(
            conn, "bench_items", f"select id from public.queue_items where session_id = '{SESSION_ID}'"
        )
        first = conn.execute(
            f"select id from public.queue_items where session_id = '{SESSION_ID}' and status = 'queued' order by rank_key, id limit 1"
        ).fetchone()
        if (
            first
            and not conn.execute(
                f"select 1 from public.queue_items where session_id = '{SESSION_ID}' and status = 'playing'"
            ).fetchone()
        ):
            conn.execute(
                "update public.queue_items set status = 'playing', started_at = now() where id = %s", first
            )
        conn.commit()
    data.settle(admin_url)


def _db_ms(conn: psycopg.Connection, name: str) -> float | None:
    row = conn.execute(
        "select sum(total_exec_time) / nullif(sum(calls), 0) from pg_stat_statements"
        " where query like %s and query not like 'select set_config%%'",
        (f"%public.{name}(%",),
    ).fetchone()
    return round(float(row[0]), 3) if row and row[0] is not None else None


def _functions(conn: psycopg.Connection) -> list[dict[str, Any]]:
    """Where a call's time went: the functions it ran, by self time per call (track_functions)."""
    rows = conn.execute(
        "select schemaname || '.' || funcname, calls, self_time / calls, total_time / calls from pg_stat_user_functions"
        " where calls > 0 order by self_time desc limit 8"
    ).fetchall()
    return [
        {"function": f, "calls": c, "self_ms": round(sm, 4), "total_ms": round(tm, 4)}
        for f, c, sm, tm in rows
    ]


def _measure(cluster: LocalCluster, seconds: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with psycopg.connect(cluster.admin_url, autocommit=True) as conn:
        last = conn.execute(
            "select last_seq from private.realtime_topics where topic = %s", (TOPIC,)
        ).fetchone()
        items = conn.execute("select count(*) from public.bench_items").fetchone()
    assert last is not None
    assert items is not None
    defines = {"last_seq": last[0], "items": items[0]}
    out["write floor"] = run_pgbench(
        cluster, "postgres", "write floor", WRITE_FLOOR, rate=RATE, seconds=seconds
    )
    for name in _calls():
        out[f"{name}:floor"] = run_pgbench(cluster, "postgres", "floor", BASELINE, rate=RATE, seconds=seconds)
        with psycopg.connect(cluster.admin_url, autocommit=True) as conn:
            conn.execute("select pg_stat_statements_reset(), pg_stat_reset()")
        result = run_pgbench(
            cluster, "postgres", name, _script(name), rate=RATE, seconds=seconds, defines=defines
        )
        with psycopg.connect(cluster.admin_url, autocommit=True) as conn:
            out[name] = (result, _db_ms(conn, name))
            out[f"{name}:functions"] = _functions(conn)
    return out


def _calls() -> list[str]:
    """The calls to measure: all of them (WHATSSOUND_READS_CALLS narrows a run while optimising)."""
    only = os.environ.get("WHATSSOUND_READS_CALLS")
    return [c for c in CALLS if not only or c in only.split(",")]


def _storm(cluster: LocalCluster, kind: str, arrivals: int = LISTENERS, seconds: int = 60) -> dict[str, Any]:
    """``arrivals`` listeners in ``seconds``: joining (join, snapshot, the channel's read check) or
    resyncing after a blip (events since 30 entries back); p95 and the database's cores."""
    rate = arrivals / seconds
    if kind == "join":
        script = (
            transaction(f"\\set u random({LISTENERS + 1}, {LISTENERS + JOINERS})", uid_sql("u"), "/rpc/join_session",
                        CALLS["join_session"])
            + transaction("", uid_sql("u"), "/rpc/session_snapshot", CALLS["session_snapshot"])
            + transaction("", uid_sql("u"), "/realtime/join", f"select hidden.realtime_can_read('session' || chr(58) || '{SESSION_ID}');")  # a bare ':' would be a pgbench variable
        )  # fmt: skip
    else:
        script = transaction(f"\\set u random(1, {LISTENERS})\n\\set last :last_seq", uid_sql("u"),
                             "/rpc/session_events_since", CALLS["session_events_since"])  # fmt: skip
    with psycopg.connect(cluster.admin_url, autocommit=True) as conn:
        pid = conn.execute("select pg_backend_pid()").fetchone()[0]  # type: ignore[index]
        last = conn.execute(
            "select last_seq from private.realtime_topics where topic = %s", (TOPIC,)
        ).fetchone()
        before = cpu.postgres_cpu_seconds(pid)
        # Several transactions a script: pgbench's named prepared statements mix them up, so extended.
        result = run_pgbench(cluster, "postgres", f"{kind} storm", script, rate=round(rate), seconds=seconds,
                             defines={"last_seq": last[0] if last else 0}, protocol="extended")  # fmt: skip
        after = cpu.postgres_cpu_seconds(pid)
    cores = None if before is None or after is None else round((after - before) / seconds, 2)
    return {"result": result, "cores": cores}


def _row(name: str, small: dict[str, Any], large: dict[str, Any], write_floor: Result) -> tuple[str, bool]:
    """The call's line: judged at the large size against the floor measured just before it."""
    (rs, ds), (rl, dl), floor = small[name], large[name], large[f"{name}:floor"]
    bound = POLL_MS if name == "session_poll" else READ_MS
    grows = ds is not None and dl is not None and dl > 1.5 * ds + 0.05
    ok = (rl.achieved_rate >= 0.97 * RATE and rl.p95_ms <= 3 * floor.p95_ms and rl.failed == 0
          and (name not in READS or (dl is not None and dl <= bound and not grows)))  # fmt: skip
    cells = (f"| {name} | {rs.achieved_rate:,.0f} / {rl.achieved_rate:,.0f} | {rs.p95_ms} / {rl.p95_ms} "
             f"| {floor.p95_ms} | {rl.p95_ms / floor.p95_ms:.1f} "
             f"| {f'{rl.p95_ms / write_floor.p95_ms:.1f}' if name in WRITES else ''} | {ds} / {dl} | {'**yes**' if grows else 'no'} "
             f"| {'yes' if ok else '**no**'} |")  # fmt: skip
    return cells, ok


def run(cluster: LocalCluster) -> None:
    """`make bench` entry: the room at the small size, measured; grown to the large size, measured;
    the storms; the section and the raw figures."""
    seconds = int(os.environ.get("WHATSSOUND_READS_SECONDS", "20"))
    _load_room(cluster.admin_url)
    _grow(cluster.admin_url, SMALL, None)
    small = _measure(cluster, seconds)
    _grow(cluster.admin_url, LARGE, SMALL)
    large = _measure(cluster, seconds)
    quick = os.environ.get("WHATSSOUND_READS_CALLS")  # a narrowed run (optimising): no storms
    storms = {} if quick else {kind: _storm(cluster, kind) for kind in ("join", "reconnect")}
    with psycopg.connect(cluster.url()) as conn:
        version = str(conn.execute("show server_version").fetchone()[0])  # type: ignore[index]
    floors = [m[f"{n}:floor"].p95_ms for m in (small, large) for n in _calls()]
    lines = [
        f"## {TITLE}", "",
        f"Measured {report.machine(version)}; {seconds} s per call at {RATE:,}/s offered. A pull room of {LISTENERS:,} "
        f"present listeners; small: {SMALL.tracks:,} tracks, {SMALL.requests:,} requests, {SMALL.chat:,} chat lines, "
        f"{SMALL.log:,} log entries; large: {LARGE.tracks:,}, {LARGE.requests:,}, {LARGE.chat:,}, {LARGE.log:,}. "
        f"Floor (the empty PostgREST transaction, measured before each call): p95 {min(floors)}-{max(floors)} ms; write floor "
        f"(the same, inserting one row, committed synchronously): p95 {small['write floor'].p95_ms} / "
        f"{large['write floor'].p95_ms} ms.", "",
        f"Goal: at least {RATE:,}/s at p95 within 3x the floor's (the floor measured just before the call, at the "
        f"large size); reads at most {READ_MS} ms of database time "
        f"(the poll {POLL_MS} ms), not growing with the data.", "",
        "| Call | Achieved/s small / large | p95 ms small / large | floor p95 ms | p95 ÷ floor | ÷ write floor "
        "| DB ms small / large | Grows | Meets |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]  # fmt: skip
    verdicts = []
    for name in _calls():
        line, ok = _row(name, small, large, large["write floor"])
        lines.append(line)
        verdicts.append(ok)
    lines += ["", "Storms (10,000 arrivals in 60 s, at the large size):", ""]
    for kind, storm in storms.items():
        r = storm["result"]
        lines.append(f"- {kind}: {r.achieved_rate:,.0f} transactions/s, p95 {r.p95_ms} ms (goal 50), database "
                     f"{storm['cores']} cores (goal < 1.5)")  # fmt: skip
    raw = {"small": _raw(small), "large": _raw(large), "storms": {k: {"result": v["result"].as_dict(), "cores": v["cores"]}
           for k, v in storms.items()}, "all_meet": all(verdicts)}  # fmt: skip
    report.write_section("reads", "\n".join(lines), raw)


def _raw(measured: dict[str, Any]) -> dict[str, Any]:
    def one(value: Any) -> Any:
        if isinstance(value, Result):
            return value.as_dict()
        if isinstance(value, tuple):
            return {"result": value[0].as_dict(), "db_ms": value[1]}
        return value

    return {k: one(v) for k, v in measured.items()}
