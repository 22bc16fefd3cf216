"""The moderation log: append-only, hash-chained per DJ, verifiable, readable by the right people."""

from __future__ import annotations

import threading

import psycopg
import pytest

from tests.support.api import Api, answer_to, make_dj, raises_code
from tests.support.gotrue import create_user
from tests.support.postgrest import as_user, rpc


def _ban_and_lift(api: Api, dj: object, user: object, times: int) -> None:
    for _ in range(times):
        api(dj, "ban_user", p_dj_id=str(dj.id), p_user_id=str(user.id))  # type: ignore[attr-defined]
        api(dj, "unban_user", p_dj_id=str(dj.id), p_user_id=str(user.id))  # type: ignore[attr-defined]


def test_entries_chain_and_verify(db: psycopg.Connection, api: Api) -> None:
    dj, user = make_dj(db), create_user(db)
    _ban_and_lift(api, dj, user, 3)
    rows = db.execute(
        "select seq, action, actor_id, target_user_id, prev_hash is null from public.moderation_log"
        " where chain_id = %s order by seq",
        (dj.id,),
    ).fetchall()
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5, 6]
    assert [r[1] for r in rows] == ["ban", "unban"] * 3
    assert all(r[2] == dj.id and r[3] == user.id for r in rows)
    assert [r[4] for r in rows] == [True] + [False] * 5
    assert api(dj, "verify_moderation_log", p_dj_id=str(dj.id)) == {
        "ok": True,
        "entries": 6,
        "first_bad_seq": None,
    }


def test_the_log_refuses_edits_even_from_the_owner(db: psycopg.Connection, api: Api) -> None:
    dj, user = make_dj(db), create_user(db)
    _ban_and_lift(api, dj, user, 1)
    for statement in ("update public.moderation_log set reason = 'x'", "delete from public.moderation_log",
                      "truncate public.moderation_log"):  # fmt: skip
        with pytest.raises(psycopg.Error) as refused, db.transaction():
            db.execute(statement)
        assert answer_to(refused.value).code == "NOEDT"


def test_tampering_is_detected(db: psycopg.Connection, api: Api) -> None:
    dj, user = make_dj(db), create_user(db)
    _ban_and_lift(api, dj, user, 2)
    db.execute("set local role supabase_admin")  # a superuser bypassing the trigger, as an attacker would
    db.execute("alter table public.moderation_log disable trigger _100_append_only")
    db.execute(
        "update public.moderation_log set reason = 'nothing happened' where chain_id = %s and seq = 2",
        (dj.id,),
    )
    db.execute("alter table public.moderation_log enable trigger _100_append_only")
    db.execute("set local role postgres")
    assert api(dj, "verify_moderation_log", p_dj_id=str(dj.id)) == {
        "ok": False,
        "entries": 2,
        "first_bad_seq": 2,
    }


def test_only_the_channel_team_verifies_and_reads_it(db: psycopg.Connection, api: Api) -> None:
    dj, target, stranger = make_dj(db), create_user(db), create_user(db)
    _ban_and_lift(api, dj, target, 1)
    with raises_code("42501"):
        api(stranger, "verify_moderation_log", p_dj_id=str(dj.id))
    for viewer, expected in [(dj, 2), (target, 2), (stranger, 0)]:
        with as_user(db, viewer):
            assert db.execute("select count(*) from public.moderation_log").fetchone() == (expected,)


def test_concurrent_actions_keep_one_gapless_valid_chain(fresh_db) -> None:  # type: ignore[no-untyped-def]
    with fresh_db.connect("supabase_admin") as setup:
        setup.execute("set role postgres")
        dj = make_dj(setup)
        targets = [create_user(setup) for _ in range(10)]
    barrier = threading.Barrier(len(targets))
    errors: list[BaseException] = []

    def ban(target: object) -> None:
        try:
            with fresh_db.connect("authenticator") as conn:
                barrier.wait()
                rpc(conn, dj.identity(), "ban_user", {"p_dj_id": str(dj.id), "p_user_id": str(target.id)})  # type: ignore[attr-defined]
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=ban, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with fresh_db.connect("authenticator") as conn:
        result = rpc(conn, dj.identity(), "verify_moderation_log", {"p_dj_id": str(dj.id)})
    assert result == {"ok": True, "entries": 10, "first_bad_seq": None}
