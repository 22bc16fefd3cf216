"""control_queue's p_expected_item_id: two taps, or a retried request, move the queue once."""

from __future__ import annotations

import threading
import time
from typing import Any

import psycopg

from tests.conftest import FreshDb
from tests.queue.conftest import QueueRoom
from tests.support.api import Api, make_dj, make_session, raises_code
from tests.support.gotrue import create_user
from tests.support.postgrest import PostgrestError, rpc
from tests.support.rooms import LiveRoom


def _history(qroom: LiveRoom) -> list[tuple[str, str]]:
    rows = qroom.api(qroom.dj, "session_history", p_session_id=qroom.id)
    return [(h["item_id"], h["outcome"]) for h in rows]


def test_a_retried_advance_is_answered_without_skipping(qroom: QueueRoom) -> None:
    lia = qroom.listener()
    a, b, c = (qroom.request(lia, t)["item"]["id"] for t in ("a", "b", "c"))
    qroom.control("play", a)
    first = qroom.control("advance", p_expected_item_id=a)
    retry = qroom.control("advance", p_expected_item_id=a)  # the app did not see the first answer
    assert (first["id"], first["status"]) == (b, "playing")
    assert retry == first, "the retry answers what the first call did"
    assert qroom.api(lia, "now_playing", p_session_id=qroom.id)["item_id"] == b
    assert _history(qroom) == [(a, "played")], "a was ended once, b still plays"
    assert [row["item_id"] for row in qroom.top()] == [c]


def test_a_dj_and_a_co_host_tapping_next_together_advance_once(qroom: QueueRoom) -> None:
    lia, cohost = qroom.listener(), create_user(qroom.api.conn)
    qroom.api(qroom.dj, "appoint_moderator", p_user_id=str(cohost.id))
    a, b, c = (qroom.request(lia, t)["item"]["id"] for t in ("a", "b", "c"))
    qroom.control("play", a)
    by_dj = qroom.control("advance", p_expected_item_id=a)
    by_cohost = qroom.api(cohost, "control_queue", p_session_id=qroom.id, p_action="advance",
                          p_expected_item_id=a)  # fmt: skip
    assert by_dj["id"] == by_cohost["id"] == b
    assert [row["item_id"] for row in qroom.top()] == [c], "c was not skipped"
    nxt = qroom.control("advance", p_expected_item_id=b)  # the next deliberate tap moves on
    assert nxt["id"] == c


def test_a_retried_skip_skips_once_and_is_not_an_error(qroom: QueueRoom) -> None:
    lia = qroom.listener()
    a, b = (qroom.request(lia, t)["item"]["id"] for t in ("a", "b"))
    qroom.control("play", a)
    assert qroom.control("skip", p_expected_item_id=a, p_reason="wrong vibe")["id"] is None
    again = qroom.control("skip", p_expected_item_id=a, p_reason="wrong vibe")
    assert again["id"] is None, "nothing plays: answered as the skip did, not IDLEQ"
    qroom.control("play", b)
    late = qroom.control("skip", p_expected_item_id=a)  # a very late retry: b is playing now
    assert (late["id"], late["status"]) == (b, "playing")
    assert _history(qroom) == [(a, "skipped")]
    qroom.control("finish")
    with raises_code("IDLEQ"):  # unguarded, with nothing playing: as before
        qroom.control("skip")


def test_a_retried_play_and_finish_change_nothing(qroom: QueueRoom) -> None:
    lia = qroom.listener()
    a, b = (qroom.request(lia, t)["item"]["id"] for t in ("a", "b"))
    qroom.control("play", a)
    assert qroom.control("play", b, p_expected_item_id=a)["id"] == b
    assert qroom.control("play", b, p_expected_item_id=a)["id"] == b, "a retry answers b playing, not STATE"
    assert qroom.control("finish", p_expected_item_id=b)["id"] is None
    assert qroom.control("finish", p_expected_item_id=b)["id"] is None
    assert _history(qroom) == [(b, "played"), (a, "played")]


def test_the_expected_item_is_refused_with_other_actions(db: psycopg.Connection, qroom: QueueRoom) -> None:
    lia = qroom.listener()
    a, b = (qroom.request(lia, t)["item"]["id"] for t in ("a", "b"))
    qroom.control("play", a)
    with raises_code("22023"):
        qroom.control("pin", b, p_expected_item_id=a)
    with raises_code("22023"):
        qroom.control(None, b)  # type: ignore[arg-type]
    pinned = db.execute("select pin_order from public.queue_items where id = %s", (b,)).fetchone()
    assert pinned == (None,), "nothing changed"
    assert qroom.api(lia, "now_playing", p_session_id=qroom.id)["item_id"] == a


def _blocked_on_locks(conn: psycopg.Connection, count: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        row = conn.execute(
            "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'"
        ).fetchone()
        if row and row[0] >= count:
            return
        time.sleep(0.02)
    raise AssertionError(f"{count} callers never queued behind the playing row")


def test_concurrent_advances_of_the_same_track_advance_once(fresh_db: FreshDb) -> None:
    with fresh_db.connect("supabase_admin") as setup:
        setup.execute("set role postgres")
        api = Api(setup)
        dj = make_dj(setup)
        room = LiveRoom(api, dj, make_session(api, dj))
        cohost, lia = create_user(setup), room.member()
        api(dj, "appoint_moderator", p_user_id=str(cohost.id))
        a, b, c = (room.request(lia, t)["item"]["id"] for t in ("a", "b", "c"))
        room.control("play", a)
    answers: list[Any] = []

    def tap(who: Any) -> None:
        with fresh_db.connect("authenticator") as conn:
            try:
                answers.append(rpc(conn, who.identity(), "control_queue", {
                    "p_session_id": room.id, "p_action": "advance", "p_expected_item_id": a}))  # fmt: skip
            except PostgrestError as exc:
                answers.append(exc.code)

    # Both taps arrive while the playing row is held, so they queue on it and then run in turn.
    with fresh_db.connect(autocommit=False) as holder, fresh_db.connect() as watch:
        holder.execute("select 1 from public.queue_items where id = %s for update", (a,))
        threads = [threading.Thread(target=tap, args=(who,)) for who in (dj, cohost)]
        for thread in threads:
            thread.start()
        _blocked_on_locks(watch, 2)
        holder.rollback()
        for thread in threads:
            thread.join()
    assert [answer["id"] for answer in answers] == [b, b], answers
    with fresh_db.connect() as conn:
        rows = conn.execute(
            "select id::text, status::text from public.queue_items where session_id = %s order by status, id",
            (room.id,),
        ).fetchall()
    assert sorted(rows) == sorted([(a, "played"), (b, "playing"), (c, "queued")])
