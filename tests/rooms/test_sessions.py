"""Sessions: who may create and run them, their lifecycle, and who sees them."""

from __future__ import annotations

import threading

import psycopg
import pytest

from tests.support.api import Api, make_dj, make_session, raises_code
from tests.support.gotrue import create_user
from tests.support.postgrest import Identity, PostgrestError, as_user, rpc


def _visible(db: psycopg.Connection, viewer: object, session_id: str) -> bool:
    with as_user(db, viewer):  # type: ignore[arg-type]
        return db.execute(
            "select count(*) from public.dj_sessions where id = %s", (session_id,)
        ).fetchone() == (1,)


def test_a_dj_creates_a_live_session(db: psycopg.Connection, api: Api) -> None:
    dj = make_dj(db)
    session = make_session(api, dj, p_title="  Friday house  ", p_genre_tags=["house", "deep-house"])
    assert (session["status"], session["title"], session["dj_id"]) == ("live", "Friday house", str(dj.id))
    assert session["started_at"] is not None


def test_only_full_account_djs_create_sessions(db: psycopg.Connection, api: Api) -> None:
    with raises_code("DJONL"):
        make_session(api, create_user(db))
    guest = create_user(db, "anonymous")
    with raises_code("ANONY"):
        make_session(api, guest)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ({"p_title": ""}, "title"),
        ({"p_genre_tags": ["House Music"]}, "genre_tags"),
        ({"p_genre_tags": ["a", "b", "c", "d", "e", "f"]}, "genre_tags"),
        ({"p_cover_url": "http://insecure.example/c.png"}, "cover_url"),
    ],
)
def test_invalid_details_are_refused_with_22023(
    db: psycopg.Connection, api: Api, args: dict, fragment: str
) -> None:
    with raises_code("22023") as caught:
        make_session(api, make_dj(db), **args)
    assert fragment in caught.value.message


def test_scheduling_needs_a_future_start(db: psycopg.Connection, api: Api) -> None:
    dj = make_dj(db)
    with raises_code("22023"):
        api(dj, "create_session", p_title="Later")
    session = make_session(api, dj, live=False)
    assert session["status"] == "scheduled"


def test_one_live_session_per_dj(db: psycopg.Connection, api: Api) -> None:
    dj = make_dj(db)
    make_session(api, dj)
    with raises_code("LIVE1"):
        make_session(api, dj)
    later = make_session(api, dj, live=False)
    with raises_code("LIVE1"):
        api(dj, "go_live", p_session_id=later["id"])


def test_lifecycle_runs_scheduled_live_ended_only(db: psycopg.Connection, api: Api) -> None:
    dj = make_dj(db)
    session = make_session(api, dj, live=False)
    live = api(dj, "go_live", p_session_id=session["id"])
    assert live["status"] == "live"
    assert api(dj, "go_live", p_session_id=session["id"])["started_at"] == live["started_at"]  # a retry
    ended = api(dj, "end_session", p_session_id=session["id"])
    assert ended["status"] == "ended"
    assert ended["ended_at"] is not None
    with raises_code("ENDED"):
        api(dj, "update_session_details", p_session_id=session["id"], p_title="again")
    cancelled = api(dj, "end_session", p_session_id=make_session(api, dj, live=False)["id"])
    assert (cancelled["status"], cancelled["started_at"]) == ("ended", None)


def test_others_cannot_run_a_djs_session(db: psycopg.Connection, api: Api) -> None:
    dj, other = make_dj(db), make_dj(db)
    session = make_session(api, dj, live=False)
    with raises_code("42501", status=403):
        api(other, "go_live", p_session_id=session["id"])
    with raises_code("P0002", status=404):
        api(other, "end_session", p_session_id="00000000-0000-4000-8000-000000000000")


def test_moderators_change_chat_settings_but_not_the_rest(db: psycopg.Connection, api: Api) -> None:
    dj, mod = make_dj(db), create_user(db)
    session = make_session(api, dj)
    api(dj, "appoint_moderator", p_user_id=str(mod.id))
    updated = api(
        mod, "set_chat_settings", p_session_id=session["id"], p_slow_mode_seconds=30, p_emote_only=True
    )
    assert (updated["slow_mode_seconds"], updated["emote_only"]) == (30, True)
    with raises_code("42501"):
        api(mod, "update_session_details", p_session_id=session["id"], p_title="Mine now")
    with raises_code("22023"):
        api(dj, "set_chat_settings", p_session_id=session["id"], p_slow_mode_seconds=99999)


def test_visibility_decides_who_sees_a_session(db: psycopg.Connection, api: Api) -> None:
    dj, follower, stranger = make_dj(db), create_user(db), create_user(db)
    api(follower, "follow", p_user_id=str(dj.id))
    public = make_session(api, dj)
    fans = make_session(api, dj, live=False, p_visibility="followers")
    secret = make_session(api, dj, live=False, p_visibility="private")
    with as_user(db, None):
        assert db.execute(
            "select id::text from public.dj_sessions where dj_id = %s", (dj.id,)
        ).fetchall() == [(public["id"],)]
    assert _visible(db, follower, fans["id"])
    assert not _visible(db, stranger, fans["id"])
    assert not _visible(db, follower, secret["id"])
    assert _visible(db, dj, secret["id"])
    code = api(dj, "get_invite_code", p_session_id=secret["id"])
    api(stranger, "join_session", p_session_id=secret["id"], p_invite_code=code.lower())
    assert _visible(db, stranger, secret["id"])


def test_a_dj_who_blocked_you_disappears(db: psycopg.Connection, api: Api) -> None:
    dj, troll = make_dj(db), create_user(db)
    session = make_session(api, dj)
    api(dj, "block_user", p_user_id=str(troll.id))
    assert not _visible(db, troll, session["id"])


def test_invite_codes_are_for_the_team_and_can_be_rotated(db: psycopg.Connection, api: Api) -> None:
    dj, mod, listener = make_dj(db), create_user(db), create_user(db)
    api(dj, "appoint_moderator", p_user_id=str(mod.id))
    secret = make_session(api, dj, p_visibility="private")
    code = api(mod, "get_invite_code", p_session_id=secret["id"])
    assert len(code) == 8
    with raises_code("42501"):
        api(listener, "get_invite_code", p_session_id=secret["id"])
    fresh = api(dj, "regenerate_invite_code", p_session_id=secret["id"])
    assert fresh != code
    with raises_code("INVIT"):
        api(listener, "join_session", p_session_id=secret["id"], p_invite_code=code)
    other_dj = make_dj(db)
    with raises_code("STATE"):
        api(other_dj, "get_invite_code", p_session_id=make_session(api, other_dj)["id"])


def test_racing_go_lives_leave_exactly_one_live_session(fresh_db) -> None:  # type: ignore[no-untyped-def]
    with fresh_db.connect("supabase_admin") as setup:
        setup.execute("set role postgres")
        dj = make_dj(setup)
        api = Api(setup)
        ids = [make_session(api, dj, live=False)["id"] for _ in range(6)]
    barrier = threading.Barrier(len(ids))
    outcomes: list[str] = []

    def go(session_id: str) -> None:
        with fresh_db.connect("authenticator") as conn:
            barrier.wait()
            try:
                rpc(conn, dj.identity(), "go_live", {"p_session_id": session_id})
                outcomes.append("live")
            except PostgrestError as exc:
                outcomes.append(exc.code)

    threads = [threading.Thread(target=go, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["LIVE1"] * 5 + ["live"]
    with fresh_db.connect() as conn:
        assert conn.execute(
            "select count(*) from public.dj_sessions where dj_id = %s and status = 'live'", (dj.id,)
        ).fetchone() == (1,)


def test_anon_key_reads_the_directory(db: psycopg.Connection, api: Api) -> None:
    session = make_session(api, make_dj(db))
    page = api(Identity.anon(), "session_directory", p_limit=100)
    assert session["id"] in [row["id"] for row in page]
