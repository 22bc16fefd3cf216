"""send_message: every rule of the room, idempotent retries, mentions."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from tests.chat.conftest import Room
from tests.support.api import Api, make_dj, make_session, raises_code
from tests.support.gotrue import create_user
from tests.support.postgrest import as_user, rpc


def _message_count(db: psycopg.Connection, session_id: str) -> int:
    row = db.execute(
        "select count(*) from public.chat_messages where session_id = %s", (session_id,)
    ).fetchone()
    return int(row[0]) if row else 0


def test_a_message_is_trimmed_stored_and_returned(room: Room) -> None:
    message = room.say(room.listener, "  hello room \n")
    assert (message["body"], message["status"], message["author_id"]) == (
        "hello room",
        "visible",
        str(room.listener.id),
    )


def test_a_retry_with_the_same_client_id_never_duplicates(db: psycopg.Connection, room: Room) -> None:
    client_id = str(uuid.uuid4())
    first = room.say(room.listener, "once", p_client_id=client_id)
    second = room.say(room.listener, "once", p_client_id=client_id)
    assert first == second
    assert _message_count(db, room.id) == 1
    with raises_code("IDCLS"):
        room.say(room.member(), "mine?", p_client_id=client_id)


@pytest.mark.parametrize("body", ["", "   \n\t ", "x" * 501])
def test_empty_or_long_messages_are_refused(db: psycopg.Connection, room: Room, body: str) -> None:
    with raises_code("MSGLN"):
        room.say(room.listener, body)
    assert _message_count(db, room.id) == 0


def test_exactly_500_characters_is_fine(room: Room) -> None:
    assert len(room.say(room.listener, "é" * 500)["body"]) == 500


def test_guests_listen_but_do_not_chat_unless_configured(db: psycopg.Connection, room: Room) -> None:
    guest = room.member("anonymous")
    with raises_code("ANONY"):
        room.say(guest, "hi")
    db.execute("update private.settings set value = 'true' where key = 'anonymous_may_chat'")
    assert room.say(guest, "hi")["status"] == "visible"


def test_you_must_be_in_the_room_but_the_dj_need_not_join(room: Room) -> None:
    with raises_code("NOTIN"):
        room.say(create_user(room.api.conn), "from outside")
    assert room.say(room.dj, "welcome")["author_id"] == str(room.dj.id)


def test_banned_and_timed_out_users_cannot_chat_until_it_ends(db: psycopg.Connection, room: Room) -> None:
    quiet = room.member()
    ban = room.api(
        room.dj, "ban_user", p_dj_id=str(room.dj.id), p_user_id=str(quiet.id), p_timeout_seconds=600
    )
    with raises_code("TMOUT") as caught:
        room.say(quiet, "let me talk")
    assert "until" in (caught.value.details or "")
    db.execute(
        "update public.dj_bans set expires_at = now() - interval '1 second' where id = %s", (ban["id"],)
    )
    assert room.say(quiet, "thanks")["status"] == "visible"  # expired timeouts stop applying by themselves
    room.api(room.dj, "ban_user", p_dj_id=str(room.dj.id), p_user_id=str(quiet.id))
    with raises_code("BANND"):
        room.say(quiet, "still here?")


def test_slow_mode_spaces_messages_but_not_for_the_team(room: Room) -> None:
    room.api(room.dj, "set_chat_settings", p_session_id=room.id, p_slow_mode_seconds=30)
    room.say(room.listener, "one")
    with raises_code("SLOWM") as caught:
        room.say(room.listener, "two")
    assert '"retry_after_seconds"' in (caught.value.details or "")
    room.say(room.dj, "one")
    room.say(room.dj, "two")


def test_followers_only_needs_a_follow_old_enough(db: psycopg.Connection, room: Room) -> None:
    room.api(room.dj, "set_chat_settings", p_session_id=room.id, p_followers_only_minutes=10)
    with raises_code("NOFLW"):
        room.say(room.listener, "hi")
    room.api(room.listener, "follow", p_user_id=str(room.dj.id))
    with raises_code("NOFLW"):
        room.say(room.listener, "hi")
    db.execute("update public.follows set created_at = now() - interval '11 minutes' where follower_id = %s",
               (room.listener.id,))  # fmt: skip
    assert room.say(room.listener, "hi")["status"] == "visible"


def test_subscribers_only_uses_the_entitlement_seam(db: psycopg.Connection, room: Room) -> None:
    room.api(room.dj, "set_chat_settings", p_session_id=room.id, p_subscribers_only=True)
    with raises_code("SUBSC"):
        room.say(room.listener, "hi")
    db.execute(
        "insert into public.entitlements (user_id, entitlement, source, expires_at)"
        " values (%s, 'premium', 'revenuecat', now() + interval '1 month')",
        (room.listener.id,),
    )
    assert room.say(room.listener, "hi")["status"] == "visible"


@pytest.mark.parametrize(
    ("body", "allowed"),
    [("🔥🔥 :hype: 🇪🇸", True), ("👍🏽", True), ("👨‍👩‍👧", True), (":pog::pog:", True), ("nice 🔥", False), ("1️⃣", True),
     ("fire!", False)],
)  # fmt: skip
def test_emote_only_accepts_emotes_and_emoji(room: Room, body: str, allowed: bool) -> None:
    room.api(room.dj, "set_chat_settings", p_session_id=room.id, p_emote_only=True)
    if allowed:
        assert room.say(room.listener, body)["body"] == body
    else:
        with raises_code("EMOTE"):
            room.say(room.listener, body)


def test_the_rate_limit_allows_a_burst_then_refuses(room: Room) -> None:
    for n in range(5):
        room.say(room.listener, f"burst {n}")
    with raises_code("RATEL") as caught:
        room.say(room.listener, "one too many")
    assert "retry_after_seconds" in (caught.value.details or "")


def test_blocked_terms_reject_or_hold_whole_words(db: psycopg.Connection, room: Room) -> None:
    room.api(room.dj, "add_blocked_term", p_term="Spoiler")
    room.api(room.dj, "add_blocked_term", p_term="free tickets", p_action="hold")
    with raises_code("TERMS"):
        room.say(room.listener, "SPOILER: the drop is coming")
    assert room.say(room.listener, "spoilers are fine")["status"] == "visible"  # not the whole word
    held = room.say(room.listener, "get Free Tickets here")
    assert (held["status"], held["held_term"]) == ("held", "free tickets")
    other = room.member()
    with as_user(db, other):
        assert db.execute(
            "select count(*) from public.chat_messages where id = %s", (held["id"],)
        ).fetchone() == (0,)
    approved = room.api(room.dj, "approve_message", p_message_id=held["id"])
    assert approved["status"] == "visible"
    with as_user(db, other):
        assert db.execute(
            "select count(*) from public.chat_messages where id = %s", (held["id"],)
        ).fetchone() == (1,)


def test_replies_stay_in_their_session(room: Room) -> None:
    parent = room.say(room.listener, "question?")
    reply = room.say(room.dj, "answer", p_reply_to_id=parent["id"])
    assert reply["reply_to_id"] == parent["id"]
    with raises_code("22023"):
        room.say(room.dj, "answer", p_reply_to_id=str(uuid.uuid4()))


def test_mentions_resolve_notify_and_respect_blocks(db: psycopg.Connection, room: Room) -> None:
    friend, blocker = room.member(), room.member()
    for user, handle in [(friend, "mention_friend"), (blocker, "mention_blocker")]:
        db.execute("update public.profiles set handle = %s where id = %s", (handle, user.id))
    room.api(blocker, "block_user", p_user_id=str(room.listener.id))
    message = room.say(room.listener, "hey @Mention_Friend and @mention_blocker and @nobody_here")
    assert message["mentions"] == [str(friend.id)]
    rows = db.execute(
        "select user_id, kind, payload ->> 'excerpt' from public.notifications where message_id = %s",
        (message["id"],),
    ).fetchall()
    assert rows == [(friend.id, "mention", message["body"])]


def test_nobody_inserts_a_message_as_someone_else(db: psycopg.Connection, room: Room) -> None:
    with as_user(db, room.listener):
        db.execute(
            "insert into public.chat_messages (id, session_id, body) values (%s, %s, 'direct insert')",
            (uuid.uuid4(), room.id),
        )
        author = db.execute(
            "select author_id from public.chat_messages where body = 'direct insert'"
        ).fetchone()
    assert author == (room.listener.id,)  # the trigger stamps the caller, whatever the client sent


def test_a_deleted_session_takes_its_chat_with_it(db: psycopg.Connection, room: Room) -> None:
    room.say(room.listener, "soon gone")
    db.execute("delete from public.dj_sessions where id = %s", (room.id,))
    assert _message_count(db, room.id) == 0


def test_messages_to_a_missing_session_are_refused(room: Room) -> None:
    with raises_code("P0002", status=404):
        room.api(room.listener, "send_message", p_session_id=str(uuid.uuid4()), p_body="hello?",
                 p_client_id=str(uuid.uuid4()))  # fmt: skip


def test_what_is_broadcast_commits_synchronously_and_a_crowds_votes_do_not(fresh_db) -> None:  # type: ignore[no-untyped-def]
    """Realtime decodes realtime.messages from flushed WAL only, so a transaction that broadcasts
    (a chat line or a request: to a push room, or to a crowd's staff lane) commits synchronously; a
    vote in a crowd, or a request the busy staff lane batches, only waits for the next frame and
    commits without waiting for the flush. Either way only for that transaction."""
    with fresh_db.connect("supabase_admin") as setup:
        setup.execute("set role postgres")
        room_api = Api(setup)
        dj = make_dj(setup)
        session = make_session(room_api, dj)
        listener = create_user(setup)
        room_api(listener, "join_session", p_session_id=session["id"])
        item = room_api(listener, "request_track", p_session_id=session["id"], p_provider="spotify",
                        p_provider_track_id="sync-1", p_title="Song", p_artist="Artist", p_duration_ms=180_000)  # fmt: skip

    def _request(track: str) -> dict[str, object]:
        return {"p_session_id": session["id"], "p_provider": "spotify", "p_provider_track_id": track,
                "p_title": "Song", "p_artist": "Artist", "p_duration_ms": 180_000}  # fmt: skip

    calls = [
        ("push", "send_message", {"p_session_id": session["id"], "p_body": "hi", "p_client_id": str(uuid.uuid4())}, "on"),
        ("pull", "send_message", {"p_session_id": session["id"], "p_body": "hi", "p_client_id": str(uuid.uuid4())}, "on"),
        ("pull", "cast_vote", {"p_item_id": item["item"]["id"], "p_value": 1}, "off"),
        ("pull", "request_track", _request("sync-2"), "on"),  # the staff lane has it at once
        ("pull, lane spent", "request_track", _request("sync-3"), "off"),  # the lane's next tick
        ("push", "request_track", _request("sync-4"), "on"),
    ]  # fmt: skip
    with fresh_db.connect("authenticator") as conn:
        conn.execute("set synchronous_commit = on")  # the production default (tests run with it off)
        for mode, function, args, expected in calls:
            with fresh_db.connect("supabase_admin") as admin:
                admin.execute(
                    "update private.realtime_topics set delivery = %s where topic = %s",
                    (mode.split(",")[0], f"session:{session['id']}"),
                )
                admin.execute(
                    "update private.realtime_topics set tokens = %s where topic = %s",
                    (0 if "spent" in mode else 10, f"staff:{session['id']}"),
                )
            with conn.transaction():
                rpc(conn, (listener if function == "send_message" else dj).identity(), function, args)
                assert conn.execute("show synchronous_commit").fetchone() == (expected,), (mode, function)
            assert conn.execute("show synchronous_commit").fetchone() == ("on",)
