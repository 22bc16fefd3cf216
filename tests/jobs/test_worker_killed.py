"""A real worker process is killed (SIGKILL) in the middle of a DJ's go-live fan-out; another
worker picks its jobs up: every follower is notified exactly once and nobody is pushed twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import FreshDb
from tests.push import fake_expo

pytestmark = pytest.mark.slow
FOLLOWERS = 2_000


def start_worker(db: FreshDb, expo_url: str) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "DATABASE_URL": db.url(), "WHATSSOUND_PUSH_EXPO_URL": expo_url,
        "WHATSSOUND_JOB_HEARTBEAT_S": "0.5", "WHATSSOUND_JOB_STALLED_AFTER_S": "2",
    }  # fmt: skip
    command = [sys.executable, "-c", "from whatssound_svc.cli import main; main()", "jobs", "worker"]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_for(condition: object, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_a_killed_workers_jobs_complete_once_elsewhere(fresh_db: FreshDb) -> None:
    with fake_expo.running() as expo, fresh_db.connect("supabase_admin") as conn:
        expo.latency_s = 0.05
        conn.execute("update private.settings set value = '400' where key = 'push_rate_per_second'")
        dj = conn.execute(
            "insert into auth.users (id, phone, raw_user_meta_data) values (gen_random_uuid(), '15550001111', '{}')"
            " returning id"
        ).fetchone()[0]  # type: ignore[index]
        # One statement per table: a row's profile (made by the sign-up trigger) is visible to the
        # rules checked before a follow is written only once its statement has ended.
        fans = [r[0] for r in conn.execute(
            "insert into auth.users (id, phone, raw_user_meta_data)"
            " select gen_random_uuid(), '1888' || lpad(n::text, 7, '0'), '{}' from generate_series(1, %s) as n"
            " returning id",
            (FOLLOWERS,),
        ).fetchall()]  # fmt: skip
        conn.execute(
            "insert into public.push_devices (user_id, token, platform)"
            " select id, 'ExponentPushToken[' || replace(id::text, '-', '') || ']', 'ios' from unnest(%s::uuid[]) as id",
            (fans,),
        )
        conn.execute(
            "insert into public.follows (follower_id, followee_id) select id, %s from unnest(%s::uuid[]) as id",
            (dj, fans),
        )
        conn.execute("update private.push_messages set status = 'suppressed'")  # the DJ's new-follower pushes
        session = conn.execute(
            "insert into public.dj_sessions (dj_id, title, scheduled_for) values (%s, 'Kill set', now() + interval '1 day')"
            " returning id",
            (dj,),
        ).fetchone()[0]  # type: ignore[index]
        first = start_worker(fresh_db, expo.url)
        try:
            conn.execute("update public.dj_sessions set status = 'live' where id = %s", (session,))
            wait_for(lambda: len(expo.accepted) >= 300)
            first.send_signal(signal.SIGKILL)  # mid-send: its claimed messages and its job are orphaned
            first.wait()
            sent_before = len(expo.accepted)
            second = start_worker(fresh_db, expo.url)
            try:
                wait_for(lambda: conn.execute(
                    "select count(*) from private.push_messages where status = 'queued'"
                ).fetchone() == (0,) and conn.execute(
                    "select count(*) from procrastinate.procrastinate_jobs where status in ('todo', 'doing')"
                    " and task_name in ('push:send', 'push:fanout_live')"
                ).fetchone() == (0,))  # fmt: skip
            finally:
                second.terminate()
                second.wait(timeout=30)
        finally:
            if first.poll() is None:
                first.kill()
        notified = conn.execute(
            "select count(*), count(distinct user_id) from public.notifications where kind = 'dj_live'"
        ).fetchone()
        assert notified == (FOLLOWERS, FOLLOWERS), "every follower notified, once"
        tokens = [m["to"] for m in expo.accepted]
        assert len(tokens) == len(set(tokens)), "nobody pushed twice"
        assert len(tokens) > sent_before, "the second worker carried on"
        in_flight = conn.execute(
            "select count(*) from private.push_messages where status = 'sending'"
        ).fetchone()[0]  # type: ignore[index]
        assert len(tokens) + in_flight >= FOLLOWERS, "only what the dead worker held in flight may be missing"
        assert in_flight <= 6 * 100, "at most its requests in flight"
