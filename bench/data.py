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
