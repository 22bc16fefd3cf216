"""Bans, timeouts, moderators and blocked terms: who may do what to whom."""

from __future__ import annotations

import psycopg

from tests.support.api import Api, make_dj, raises_code
from tests.support.gotrue import create_user
from tests.support.postgrest import as_user


def test_the_dj_and_moderators_ban_listeners(db: psycopg.Connection, api: Api) -> None:
    dj, mod, troll = make_dj(db), create_user(db), create_user(db)
    api(dj, "appoint_moderator", p_user_id=str(mod.id))
    ban = api(mod, "ban_user", p_dj_id=str(dj.id), p_user_id=str(troll.id), p_reason="spam")
    assert (ban["kind"], ban["moderator_id"], ban["expires_at"]) == ("ban", str(mod.id), None)
    assert api(dj, "unban_user", p_dj_id=str(dj.id), p_user_id=str(troll.id)) == 1
    assert api(dj, "unban_user", p_dj_id=str(dj.id), p_user_id=str(troll.id)) == 0


def test_who_cannot_ban_whom(db: psycopg.Connection, api: Api) -> None:
    dj, mod, other_mod, listener = make_dj(db), create_user(db), create_user(db), create_user(db)
    for m in (mod, other_mod):
        api(dj, "appoint_moderator", p_user_id=str(m.id))
    with raises_code("42501"):
        api(mod, "ban_user", p_dj_id=str(dj.id), p_user_id=str(dj.id))
    with raises_code("42501"):
        api(mod, "ban_user", p_dj_id=str(dj.id), p_user_id=str(other_mod.id))
    with raises_code("42501"):
        api(listener, "ban_user", p_dj_id=str(dj.id), p_user_id=str(mod.id))
    with raises_code("SELFX"):
        api(mod, "ban_user", p_dj_id=str(dj.id), p_user_id=str(mod.id))
    api(dj, "ban_user", p_dj_id=str(dj.id), p_user_id=str(other_mod.id))  # the DJ may
    for seconds in (0, 15 * 86400):
        with raises_code("22023"):
            api(dj, "ban_user", p_dj_id=str(dj.id), p_user_id=str(listener.id), p_timeout_seconds=seconds)


def test_a_new_timeout_replaces_the_active_one(db: psycopg.Connection, api: Api) -> None:
    dj, listener = make_dj(db), create_user(db)
    api(dj, "ban_user", p_dj_id=str(dj.id), p_user_id=str(listener.id), p_timeout_seconds=60)
    api(dj, "ban_user", p_dj_id=str(dj.id), p_user_id=str(listener.id), p_timeout_seconds=600)
    active = db.execute(
        "select count(*) from public.dj_bans where user_id = %s and revoked_at is null", (listener.id,)
    ).fetchone()
    assert active == (1,)


def test_bans_are_visible_to_the_team_and_the_banned_only(db: psycopg.Connection, api: Api) -> None:
    dj, troll, stranger = make_dj(db), create_user(db), create_user(db)
    api(dj, "ban_user", p_dj_id=str(dj.id), p_user_id=str(troll.id), p_reason="spam")
    for viewer, expected in [(dj, 1), (troll, 1), (stranger, 0)]:
        with as_user(db, viewer):
            assert db.execute("select count(*) from public.dj_bans").fetchone() == (expected,)


def test_moderators_are_appointed_by_the_dj_only(db: psycopg.Connection, api: Api) -> None:
    dj, user, guest = make_dj(db), create_user(db), create_user(db, "anonymous")
    first = api(dj, "appoint_moderator", p_user_id=str(user.id))
    assert api(dj, "appoint_moderator", p_user_id=str(user.id)) == first
    with raises_code("ANONY"):
        api(dj, "appoint_moderator", p_user_id=str(guest.id))
    with raises_code("SELFX"):
        api(dj, "appoint_moderator", p_user_id=str(dj.id))
    assert api(dj, "remove_moderator", p_user_id=str(user.id)) is True
    actions = db.execute(
        "select action from public.moderation_log where dj_id = %s order by seq", (dj.id,)
    ).fetchall()
    assert actions == [("appoint_moderator",), ("remove_moderator",)]


def test_blocked_terms_are_managed_by_the_team(db: psycopg.Connection, api: Api) -> None:
    dj, mod, listener = make_dj(db), create_user(db), create_user(db)
    api(dj, "appoint_moderator", p_user_id=str(mod.id))
    term = api(mod, "add_blocked_term", p_term="  Promo Code ", p_dj_id=str(dj.id))
    assert (term["term"], term["action"], term["created_by"]) == ("promo code", "reject", str(mod.id))
    assert api(dj, "add_blocked_term", p_term="promo code", p_action="hold")["action"] == "hold"
    with raises_code("42501"):
        api(listener, "add_blocked_term", p_term="anything", p_dj_id=str(dj.id))
    with raises_code("22023"):
        api(dj, "add_blocked_term", p_term="x")
    with as_user(db, listener):
        assert db.execute("select count(*) from public.dj_blocked_terms").fetchone() == (0,)
    assert api(dj, "remove_blocked_term", p_term="PROMO CODE") is True
    logged = db.execute(
        "select action, before ->> 'action', after ->> 'action' from public.moderation_log"
        " where dj_id = %s and action in ('add_blocked_term', 'remove_blocked_term') order by seq",
        (dj.id,),
    ).fetchall()
    assert logged == [
        ("add_blocked_term", None, "reject"),
        ("add_blocked_term", "reject", "hold"),
        ("remove_blocked_term", "hold", None),
    ]


def test_a_term_is_unblocked_however_its_accents_were_typed(db: psycopg.Connection, api: Api) -> None:
    dj = make_dj(db)
    api(dj, "add_blocked_term", p_term="caf\u00e9 noir")  # stored NFC
    assert api(dj, "remove_blocked_term", p_term="CAFE\u0301 NOIR") is True  # typed NFD
    assert db.execute(
        "select count(*) from public.dj_blocked_terms where dj_id = %s", (dj.id,)
    ).fetchone() == (0,)
