"""Bulk data every suite builds on: users with predictable ids and a live room full of listeners."""

from __future__ import annotations

import psycopg

from bench.harness import UID_PREFIX

SESSION_ID = "b0000000-0000-4000-8000-000000000001"
DJ = f"{UID_PREFIX}000000000000"


def user_id_sql(expr: str) -> str:
    """SQL for the uuid of benchmark user number ``expr``."""
    return f"('{UID_PREFIX}' || lpad(({expr})::text, 12, '0'))::uuid"


def users_and_room(admin_url: str, *, users: int, present: int) -> None:
    """``users`` phone users (number 0 is the DJ), a live room, users 1..``present`` in it."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute("set role postgres")
        conn.execute(
            f"""
            insert into auth.users (id, aud, role, phone, phone_confirmed_at, raw_app_meta_data,
              raw_user_meta_data, created_at, updated_at)
            select {user_id_sql("n")}, 'authenticated', 'authenticated', '1555' || lpad(n::text, 7, '0'), now(),
              '{{"provider":"phone"}}', '{{}}', now(), now()
            from generate_series(0, {users}) as n
            """
        )
        conn.execute(
            f"insert into public.dj_sessions (id, dj_id, title, status) values ('{SESSION_ID}', '{DJ}', 'The big room', 'live')"
        )
        conn.execute(
            f"insert into public.session_members (session_id, user_id) select '{SESSION_ID}', {user_id_sql('n')}"
            f" from generate_series(1, {present}) as n"
        )
        conn.execute(f"update public.dj_sessions set listener_count = {present} where id = '{SESSION_ID}'")


def settle(admin_url: str) -> None:
    """Statistics fresh, and the bulk load's checkpoint debt paid before anything is measured."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute("vacuum analyze")
        conn.execute("checkpoint")


def numbered_ids(conn: psycopg.Connection, table: str, source_sql: str) -> None:
    """``public.<table>(n, id)``: the ids of ``source_sql`` numbered 1.., readable by listeners, so a
    pgbench script can pick a random row by number."""
    conn.execute(
        f"create table public.{table} as select row_number() over (order by s.id) as n, s.id from ({source_sql}) as s"
    )
    conn.execute(f"alter table public.{table} add primary key (n)")
    conn.execute(f"alter table public.{table} enable row level security")
    conn.execute(f'create policy "bench" on public.{table} for select to authenticated using (true)')
    conn.execute(f"grant select on public.{table} to authenticated")


def explain_as_listener(url: str, queries: dict[str, str], user: int = 42) -> dict[str, str]:
    """EXPLAIN ANALYZE of each query as benchmark user ``user`` sees it (RLS on), by title."""
    out: dict[str, str] = {}
    with psycopg.connect(url) as conn:
        conn.execute(
            "select set_config('role', 'authenticated', true), set_config('request.jwt.claims',"
            f" json_build_object('sub', {user_id_sql(str(user))}, 'role', 'authenticated')::text, true)"
        )
        for title, query in queries.items():
            rows = conn.execute(f"explain (analyze, costs off, timing off, summary off) {query}").fetchall()
            out[title] = "\n".join(r[0] for r in rows)
    return out
