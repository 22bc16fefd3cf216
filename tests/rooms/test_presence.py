"""Joining, leaving, heartbeats, co-hosts and honest listener counts."""

from __future__ import annotations

import psycopg

from tests.support.api import Api, make_dj, make_session, raises_code
from tests.support.gotrue import create_user
from tests.support.postgrest import as_user


def _refresh(db: psycopg.Connection) -> int:
    row = db.execute("select private.refresh_presence()").fetchone()
    assert row is not None
    return int(row[0])


def _counts(db: psycopg.Connection, session_id: str) -> tuple:
    return (
        db.execute(
            "select listener_count, peak_listener_count from public.dj_sessions where id = %s", (session_id,)
        ).fetchone()
        or ()
    )


def test_join_is_idempotent_and_open_to_guests(db: psycopg.Connection, api: Api) -> None:
    session = make_session(api, make_dj(db))
    guest = create_user(db, "anonymous")
    first = api(guest, "join_session", p_session_id=session["id"])
    again = api(guest, "join_session", p_session_id=session["id"])
    assert (first["role"], first["session_status"]) == ("listener", "live")
    assert again["joined_at"] == first["joined_at"]


def test_join_rejections(db: psycopg.Connection, api: Api) -> None:
    dj, fan = make_dj(db), create_user(db)
    session = make_session(api, dj)
    with raises_code("P0002", status=404):
        api(fan, "join_session", p_session_id="00000000-0000-4000-8000-000000000000")
    api(dj, "ban_user", p_dj_id=str(dj.id), p_user_id=str(fan.id), p_reason="spam")
    with raises_code("BANND"):
        api(fan, "join_session", p_session_id=session["id"])
    blocked = create_user(db)
    api(dj, "block_user", p_user_id=str(blocked.id))
    with raises_code("BLOCK"):
        api(blocked, "join_session", p_session_id=session["id"])
    api(dj, "end_session", p_session_id=session["id"])
    with raises_code("ENDED"):
        api(create_user(db), "join_session", p_session_id=session["id"])


def test_followers_only_and_private_rooms(db: psycopg.Connection, api: Api) -> None:
    dj, fan = make_dj(db), create_user(db)
    fans_only = make_session(api, dj, p_visibility="followers")
    with raises_code("NOFLW"):
        api(fan, "join_session", p_session_id=fans_only["id"])
    api(fan, "follow", p_user_id=str(dj.id))
    api(fan, "join_session", p_session_id=fans_only["id"])
    api(dj, "end_session", p_session_id=fans_only["id"])
    secret = make_session(api, dj, p_visibility="private")
    with raises_code("INVIT"):
        api(fan, "join_session", p_session_id=secret["id"])
    with raises_code("INVIT"):
        api(fan, "join_session", p_session_id=secret["id"], p_invite_code="WRONGWRO")
    code = api(dj, "get_invite_code", p_session_id=secret["id"])
    api(fan, "join_session", p_session_id=secret["id"], p_invite_code=f" {code} ")
    api(fan, "leave_session", p_session_id=secret["id"])
    api(fan, "join_session", p_session_id=secret["id"])  # members rejoin without the code


def test_leaving_and_stale_members_drop_out_of_the_count(db: psycopg.Connection, api: Api) -> None:
    session = make_session(api, make_dj(db))
    members = [create_user(db) for _ in range(4)]
    for member in members:
        api(member, "join_session", p_session_id=session["id"])
    assert _refresh(db) == 0
    assert _counts(db, session["id"]) == (4, 4)
    assert api(members[0], "leave_session", p_session_id=session["id"]) is True
    assert api(members[0], "leave_session", p_session_id=session["id"]) is False
    db.execute(
        "update public.session_members set last_seen_at = now() - interval '5 minutes' where user_id = %s",
        (members[1].id,),
    )
    assert _refresh(db) == 1
    assert _counts(db, session["id"]) == (2, 4)


def test_heartbeat_keeps_you_present_and_rejoins_after_a_drop(db: psycopg.Connection, api: Api) -> None:
    session = make_session(api, make_dj(db))
    listener = create_user(db)
    api(listener, "join_session", p_session_id=session["id"])
    db.execute(
        "update public.session_members set last_seen_at = now() - interval '5 minutes' where user_id = %s",
        (listener.id,),
    )
    api(listener, "heartbeat", p_session_id=session["id"])
    assert _refresh(db) == 0  # the beat refreshed last_seen_at
    db.execute(
        "update public.session_members set last_seen_at = now() - interval '5 minutes' where user_id = %s",
        (listener.id,),
    )
    _refresh(db)
    beat = api(listener, "heartbeat", p_session_id=session["id"])  # dropped: transparently rejoins
    assert beat["role"] == "listener"
    assert db.execute(
        "select left_at is null from public.session_members where user_id = %s", (listener.id,)
    ).fetchone() == (True,)


def test_roles_follow_the_dj_and_their_moderators(db: psycopg.Connection, api: Api) -> None:
    dj, mod, guest = make_dj(db), create_user(db), create_user(db)
    api(dj, "appoint_moderator", p_user_id=str(mod.id))
    session = make_session(api, dj)
    assert api(dj, "join_session", p_session_id=session["id"])["role"] == "dj"
    assert api(mod, "join_session", p_session_id=session["id"])["role"] == "moderator"
    api(guest, "join_session", p_session_id=session["id"])
    assert api(dj, "set_cohost", p_session_id=session["id"], p_user_id=str(guest.id))["role"] == "cohost"
    with raises_code("42501"):
        api(mod, "set_cohost", p_session_id=session["id"], p_user_id=str(guest.id))
    with raises_code("NOTIN"):
        api(dj, "set_cohost", p_session_id=session["id"], p_user_id=str(create_user(db).id))
    _refresh(db)
    assert _counts(db, session["id"])[0] == 2  # the DJ is not a listener


def test_member_lists_are_for_the_room_and_hide_blocks(db: psycopg.Connection, api: Api) -> None:
    session = make_session(api, make_dj(db))
    a, b, outsider = create_user(db), create_user(db), create_user(db)
    for member in (a, b):
        api(member, "join_session", p_session_id=session["id"])
    with as_user(db, a):
        assert db.execute("select count(*) from public.session_members").fetchone() == (2,)
    with as_user(db, outsider):
        assert db.execute("select count(*) from public.session_members").fetchone() == (0,)
    api(b, "block_user", p_user_id=str(a.id))
    with as_user(db, a):
        assert db.execute("select count(*) from public.session_members").fetchone() == (1,)


def test_a_ban_removes_the_user_from_the_djs_rooms(db: psycopg.Connection, api: Api) -> None:
    dj, troll = make_dj(db), create_user(db)
    session = make_session(api, dj)
    api(troll, "join_session", p_session_id=session["id"])
    api(dj, "ban_user", p_dj_id=str(dj.id), p_user_id=str(troll.id))
    assert db.execute(
        "select left_at is not null from public.session_members where user_id = %s", (troll.id,)
    ).fetchone() == (True,)
