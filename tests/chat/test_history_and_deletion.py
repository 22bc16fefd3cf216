"""History pages and what each reader sees; deletions by authors and moderators."""

from __future__ import annotations

import threading
import uuid

import psycopg

from tests.chat.conftest import Room
from tests.support.api import Api, make_dj, make_session, raises_code
from tests.support.gotrue import create_user
from tests.support.postgrest import PostgrestError, rpc


def _history(room: Room, who: object, **args: object) -> list[dict]:
    rows: list[dict] = room.api(who, "chat_history", p_session_id=room.id, **args)
    return rows


def test_history_pages_newest_first_without_gaps(room: Room) -> None:
    bodies = [f"m{n}" for n in range(12)]
    for body in bodies:
        room.say(room.dj, body)
    seen: list[str] = []
    last = None
    while True:
        args = {"p_limit": 5} | (
            {"p_before_created_at": last["created_at"], "p_before_id": last["id"]} if last else {}
        )
        page = _history(room, room.listener, **args)
        if not page:
            break
        seen += [m["body"] for m in page]
        last = page[-1]
    # One transaction, so equal timestamps: the id breaks ties and every message appears once.
    assert sorted(seen) == sorted(bodies)
    assert len(seen) == len(set(seen))


def test_outsiders_see_no_chat(room: Room) -> None:
    room.say(room.listener, "for the room")
    assert _history(room, create_user(room.api.conn)) == []


def test_blocks_hide_messages_both_ways(room: Room) -> None:
    other = room.member()
    room.say(other, "from other")
    room.say(room.listener, "from listener")
    room.api(other, "block_user", p_user_id=str(room.listener.id))
    assert [m["body"] for m in _history(room, room.listener)] == ["from listener"]
    assert [m["body"] for m in _history(room, other)] == ["from other"]


def test_authors_delete_their_own_and_others_cannot(room: Room) -> None:
    mine = room.say(room.listener, "oops")
    other = room.member()
    with raises_code("42501", status=403):
        room.api(other, "delete_message", p_message_id=mine["id"])
    deleted = room.api(room.listener, "delete_message", p_message_id=mine["id"])
    assert (deleted["status"], deleted["deleted_by"], deleted["delete_reason"]) == (
        "deleted",
        str(room.listener.id),
        None,
    )
    assert (
        room.api(room.listener, "delete_message", p_message_id=mine["id"])["status"] == "deleted"
    )  # idempotent
    assert _history(room, other) == []
    with raises_code("P0002", status=404):
        room.api(other, "delete_message", p_message_id=str(uuid.uuid4()))


def test_moderators_delete_with_a_reason_and_it_is_logged(db: psycopg.Connection, room: Room) -> None:
    mod = create_user(db)
    room.api(room.dj, "appoint_moderator", p_user_id=str(mod.id))
    bad = room.say(room.listener, "rude words")
    deleted = room.api(mod, "delete_message", p_message_id=bad["id"], p_reason="harassment")
    assert (deleted["deleted_by"], deleted["delete_reason"]) == (str(mod.id), "harassment")
    entry = db.execute(
        "select action, actor_id, target_user_id, reason, before ->> 'body' from public.moderation_log"
        " where target_message_id = %s",
        (bad["id"],),
    ).fetchone()
    assert entry == ("delete_message", mod.id, room.listener.id, "harassment", "rude words")
    moderator_view = _history(room, mod)
    assert [m["status"] for m in moderator_view] == ["deleted"]  # moderators still see it


def test_clear_user_messages_and_approving_a_deleted_one(room: Room) -> None:
    spammer = room.member()
    for n in range(3):
        room.say(spammer, f"buy now {n}")
    room.say(room.listener, "normal")
    assert (
        room.api(
            room.dj, "clear_user_messages", p_session_id=room.id, p_user_id=str(spammer.id), p_reason="spam"
        )
        == 3
    )
    assert [m["body"] for m in _history(room, room.listener)] == ["normal"]
    with raises_code("42501"):
        room.api(room.listener, "clear_user_messages", p_session_id=room.id, p_user_id=str(spammer.id))
    gone = next(m for m in _history(room, room.dj) if m["status"] == "deleted")
    with raises_code("STATE"):  # deleted messages stay deleted
        room.api(room.dj, "approve_message", p_message_id=gone["id"])


def test_the_rate_limit_holds_across_parallel_connections(fresh_db) -> None:  # type: ignore[no-untyped-def]
    with fresh_db.connect("supabase_admin") as setup:
        setup.execute("set role postgres")
        api = Api(setup)
        session = make_session(api, make_dj(setup))
        chatty = create_user(setup)
        api(chatty, "join_session", p_session_id=session["id"])
    barrier = threading.Barrier(12)
    outcomes: list[str] = []

    def send() -> None:
        with fresh_db.connect("authenticator") as conn:
            barrier.wait()
            try:
                rpc(conn, chatty.identity(), "send_message",
                    {"p_session_id": session["id"], "p_body": "hi", "p_client_id": str(uuid.uuid4())})  # fmt: skip
                outcomes.append("sent")
            except PostgrestError as exc:
                outcomes.append(exc.code)

    threads = [threading.Thread(target=send) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["RATEL"] * 7 + ["sent"] * 5
    with fresh_db.connect() as conn:
        assert conn.execute("select count(*) from public.chat_messages").fetchone() == (5,)
