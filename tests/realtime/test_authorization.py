"""Who may join which topic, checked the way Supabase Realtime checks it: probe rows in
realtime.messages selected (read) or inserted (write) as the user's role and claims."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from tests.realtime.conftest import set_setting
from tests.support.api import Api, make_dj, make_session
from tests.support.gotrue import create_user
from tests.support.postgrest import Identity
from tests.support.realtime import can_read, can_write
from tests.support.rooms import LiveRoom

BOTH = {"broadcast": True, "presence": True}
NONE = {"broadcast": False, "presence": False}
PRESENCE_ONLY = {"broadcast": False, "presence": True}


def test_a_public_room_is_open_to_every_signed_in_user(db: psycopg.Connection, live: LiveRoom) -> None:
    member, passer_by, guest = live.member(), create_user(db), create_user(db, "anonymous")
    for who in (live.dj, member, passer_by, guest):
        assert can_read(db, who.identity(), live.topic) == BOTH
        assert can_write(db, who.identity(), live.topic) == PRESENCE_ONLY, "clients never broadcast"
    assert can_read(db, Identity.anon(), live.topic) == NONE
    assert can_write(db, Identity.anon(), live.topic) == NONE


def test_banned_and_blocked_users_cannot_join_but_timed_out_users_can(
    db: psycopg.Connection, live: LiveRoom
) -> None:
    banned, blocked, timed_out = live.member(), live.member(), live.member()
    live.api(live.dj, "ban_user", p_dj_id=live.dj.id, p_user_id=banned.id, p_reason="abuse")
    live.api(live.dj, "block_user", p_user_id=blocked.id)
    live.api(
        live.dj, "ban_user", p_dj_id=live.dj.id, p_user_id=timed_out.id, p_reason="", p_timeout_seconds=60
    )
    assert can_read(db, banned.identity(), live.topic) == NONE
    assert can_write(db, banned.identity(), live.topic) == NONE
    assert can_read(db, blocked.identity(), live.topic) == NONE
    assert can_read(db, timed_out.identity(), live.topic) == BOTH, "a timeout mutes, it does not eject"
    live.api(live.dj, "unban_user", p_dj_id=live.dj.id, p_user_id=banned.id)
    assert can_read(db, banned.identity(), live.topic) == BOTH


def test_a_followers_only_room_admits_followers_and_the_team(db: psycopg.Connection, api: Api) -> None:
    dj = make_dj(db)
    room = LiveRoom(api, dj, make_session(api, dj, p_visibility="followers"))
    follower, stranger, moderator = create_user(db), create_user(db), create_user(db)
    api(follower, "follow", p_user_id=dj.id)
    api(dj, "appoint_moderator", p_user_id=moderator.id)
    assert can_read(db, follower.identity(), room.topic) == BOTH
    assert can_read(db, moderator.identity(), room.topic) == BOTH
    assert can_read(db, stranger.identity(), room.topic) == NONE


def test_a_private_room_admits_only_members_who_came_with_the_invite(
    db: psycopg.Connection, api: Api
) -> None:
    dj = make_dj(db)
    room = LiveRoom(api, dj, make_session(api, dj, p_visibility="private"))
    invited, stranger = create_user(db), create_user(db)
    assert can_read(db, invited.identity(), room.topic) == NONE
    code = api(dj, "get_invite_code", p_session_id=room.id)
    api(invited, "join_session", p_session_id=room.id, p_invite_code=code)
    assert can_read(db, invited.identity(), room.topic) == BOTH
    assert can_read(db, stranger.identity(), room.topic) == NONE
    assert can_read(db, dj.identity(), room.topic) == BOTH


def test_only_the_user_receives_their_personal_topic(db: psycopg.Connection) -> None:
    alice, bob = create_user(db), create_user(db)
    topic = f"user:{alice.id}"
    assert can_read(db, alice.identity(), topic) == {"broadcast": True, "presence": False}
    assert can_read(db, bob.identity(), topic) == NONE
    assert can_read(db, Identity.anon(), topic) == NONE
    assert can_write(db, alice.identity(), topic) == NONE


def test_presence_is_open_only_while_the_room_is_small(db: psycopg.Connection, live: LiveRoom) -> None:
    member = live.member()
    live.member(), live.member()
    db.execute("select private.refresh_presence()")
    set_setting(db, "realtime_presence_max_listeners", 2)
    assert can_write(db, member.identity(), live.topic) == NONE, "3 listeners > 2: presence closes"
    assert can_read(db, member.identity(), live.topic) == BOTH, "receiving still works"


@pytest.mark.parametrize(
    "topic",
    [
        "session:not-a-uuid",
        f"session:{uuid.uuid4()}",
        "room:1",
        "",
        "user:",
        f"user:{uuid.uuid4()}x",
        "session:",
    ],
)
def test_unknown_or_malformed_topics_are_refused_without_error(db: psycopg.Connection, topic: str) -> None:
    alice = create_user(db)
    assert can_read(db, alice.identity(), topic) == NONE
    assert can_write(db, alice.identity(), topic) == NONE
