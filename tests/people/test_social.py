"""Follows and blocks: idempotent, private where they should be, counts exact under concurrency."""

from __future__ import annotations

import threading

import psycopg
import pytest

from tests.support.api import Api, raises_code
from tests.support.gotrue import create_user
from tests.support.postgrest import PostgrestError, as_user, rpc


def _counts(db: psycopg.Connection, user_id: object) -> tuple:
    return (
        db.execute(
            "select follower_count, following_count from public.profiles where id = %s", (user_id,)
        ).fetchone()
        or ()
    )


def test_follow_and_unfollow_are_idempotent_and_counted(db: psycopg.Connection, api: Api) -> None:
    fan, dj = create_user(db), create_user(db)
    first = api(fan, "follow", p_user_id=str(dj.id))
    again = api(fan, "follow", p_user_id=str(dj.id))
    assert first == again
    assert _counts(db, dj.id) == (1, 0)
    assert _counts(db, fan.id) == (0, 1)
    assert api(fan, "unfollow", p_user_id=str(dj.id)) is True
    assert api(fan, "unfollow", p_user_id=str(dj.id)) is False
    assert _counts(db, dj.id) == (0, 0)


def test_a_new_follower_is_notified_once(db: psycopg.Connection, api: Api) -> None:
    fan, dj = create_user(db), create_user(db)
    for _ in range(2):
        api(fan, "follow", p_user_id=str(dj.id))
        api(fan, "unfollow", p_user_id=str(dj.id))
    rows = db.execute(
        "select kind, actor_id from public.notifications where user_id = %s", (dj.id,)
    ).fetchall()
    assert rows == [("new_follower", fan.id)]


def test_follow_rejections(db: psycopg.Connection, api: Api) -> None:
    me, them = create_user(db), create_user(db)
    with raises_code("SELFX"):
        api(me, "follow", p_user_id=str(me.id))
    with raises_code("P0002", status=404):
        api(me, "follow", p_user_id="00000000-0000-4000-8000-000000000000")
    with pytest.raises(PostgrestError) as anon:  # the anon key may not even call it
        api(None, "follow", p_user_id=str(them.id))
    assert (anon.value.code, anon.value.status) == ("42501", 401)
    api(them, "block_user", p_user_id=str(me.id))
    with raises_code("BLOCK"):
        api(me, "follow", p_user_id=str(them.id))


def test_nobody_follows_on_someone_elses_behalf(db: psycopg.Connection) -> None:
    me, victim, dj = create_user(db), create_user(db), create_user(db)
    with pytest.raises(psycopg.errors.InsufficientPrivilege), as_user(db, me):
        db.execute(
            "insert into public.follows (follower_id, followee_id) values (%s, %s)", (victim.id, dj.id)
        )


def test_follows_are_visible_to_their_two_users_only(db: psycopg.Connection, api: Api) -> None:
    fan, dj, stranger = create_user(db), create_user(db), create_user(db)
    api(fan, "follow", p_user_id=str(dj.id))
    for viewer, expected in [(fan, 1), (dj, 1), (stranger, 0)]:
        with as_user(db, viewer):
            assert db.execute("select count(*) from public.follows").fetchone() == (expected,)


def test_blocking_severs_follows_both_ways_and_stays_private(db: psycopg.Connection, api: Api) -> None:
    a, b = create_user(db), create_user(db)
    api(a, "follow", p_user_id=str(b.id))
    api(b, "follow", p_user_id=str(a.id))
    api(a, "block_user", p_user_id=str(b.id))
    assert _counts(db, a.id) == (0, 0)
    assert _counts(db, b.id) == (0, 0)
    with as_user(db, b):
        assert db.execute("select count(*) from public.blocks").fetchone() == (0,)
    with as_user(db, a):
        assert db.execute("select count(*) from public.blocks").fetchone() == (1,)
    assert api(a, "unblock_user", p_user_id=str(b.id)) is True
    api(b, "follow", p_user_id=str(a.id))
    with raises_code("SELFX"):
        api(a, "block_user", p_user_id=str(a.id))


def test_follower_counts_are_exact_under_concurrent_follows(fresh_db) -> None:  # type: ignore[no-untyped-def]
    with fresh_db.connect("supabase_admin") as setup:
        setup.execute("set role postgres")
        dj = create_user(setup, "phone")
        fans = [create_user(setup, "phone") for _ in range(24)]
    barrier = threading.Barrier(len(fans))
    errors: list[BaseException] = []

    def follow_then_maybe_unfollow(index: int) -> None:
        try:
            with fresh_db.connect("authenticator") as conn:
                barrier.wait()
                rpc(conn, fans[index].identity(), "follow", {"p_user_id": str(dj.id)})
                if index % 3 == 0:
                    rpc(conn, fans[index].identity(), "unfollow", {"p_user_id": str(dj.id)})
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=follow_then_maybe_unfollow, args=(i,)) for i in range(len(fans))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with fresh_db.connect() as conn:
        stored = conn.execute(
            "select count(*) from public.follows where followee_id = %s", (dj.id,)
        ).fetchone()
        counted = conn.execute(
            "select follower_count from public.profiles where id = %s", (dj.id,)
        ).fetchone()
    assert stored == (16,)
    assert counted == stored
