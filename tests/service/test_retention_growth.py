"""Retention of what grew forever (issue 18 §7): chat of long-ended sessions, old job failures and
the topics of ended rooms go, in bounded batches; what moderation needs stays."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import psycopg

from tests.support.api import Api, make_dj, make_session
from tests.support.gotrue import create_user
from tests.support.rooms import LiveRoom


def _prune(db: psycopg.Connection) -> dict[str, int]:
    row = db.execute("select private.prune_retention()").fetchone()
    assert row is not None
    done: dict[str, int] = row[0]
    return done


def _room(db: psycopg.Connection, api: Api) -> LiveRoom:
    dj = make_dj(db)
    return LiveRoom(api, dj, make_session(api, dj))


def _end(db: psycopg.Connection, room: LiveRoom, days_ago: int) -> None:
    db.execute("update public.dj_sessions set status = 'ended' where id = %s", (room.id,))
    db.execute(
        "update public.dj_sessions set ended_at = now() - make_interval(days => %s) where id = %s",
        (days_ago, room.id),
    )


def _lines(db: psycopg.Connection, room: LiveRoom) -> set[str]:
    rows = db.execute("select id::text from public.chat_messages where session_id = %s", (room.id,))
    return {row[0] for row in rows.fetchall()}


def test_chat_of_long_ended_sessions_goes_except_what_moderation_names(
    db: psycopg.Connection, api: Api
) -> None:
    db.execute("update private.settings set value = '1000' where key = 'chat_rate_messages'")
    old, recent, live = _room(db, api), _room(db, api), _room(db, api)
    fan, reporter = old.member(), old.member()
    said = [old.say(fan, f"line {n}")["id"] for n in range(5)]
    reported, moderated, reply = said[0], said[1], said[2]
    api(reporter, "report_content", p_target_kind="message", p_target_id=reported, p_reason="spam")
    api(old.dj, "delete_message", p_message_id=moderated, p_reason="rude")  # logged by the trigger
    answer = old.say(fan, "a reply", p_reply_to_id=reply)["id"]
    mention = create_user(db)
    db.execute(
        "insert into public.notifications (user_id, kind, dedupe_key, message_id) values (%s, 'mention', %s, %s)",
        (mention.id, f"m{uuid.uuid4()}", said[3]),
    )
    kept_recent = {recent.say(recent.member(), "still here")["id"]}
    kept_live = {live.say(live.member(), "old but live")["id"]}
    db.execute("update public.chat_messages set created_at = now() - interval '1 year' where session_id = %s",
               (live.id,))  # fmt: skip
    _end(db, old, 91)
    _end(db, recent, 89)

    done = _prune(db)
    assert done["chat_messages"] == 4, done  # said[2:], the reply: everything nothing names
    assert _lines(db, old) == {reported, moderated}, "a reported line and a logged one stay"
    assert _lines(db, recent) == kept_recent
    assert _lines(db, live) == kept_live
    assert answer not in _lines(db, old)
    assert db.execute(
        "select count(*) from public.notifications where user_id = %s", (mention.id,)
    ).fetchone() == (0,), "the mention went with its line"
    assert db.execute(
        "select count(*) from public.reports where target_message_id = %s", (reported,)
    ).fetchone() == (1,)
    noted = db.execute("select session_id::text from private.pruned_session_chats").fetchall()
    assert noted == [(old.id,)], "done with the old session: never scanned again"
    assert _prune(db)["chat_messages"] == 0


def test_chat_is_deleted_in_bounded_batches_across_runs(db: psycopg.Connection, api: Api) -> None:
    db.execute("update private.settings set value = '1000' where key = 'chat_rate_messages'")
    db.execute("update private.settings set value = '2' where key = 'retention_batch_rows'")
    db.execute("update private.settings set value = '3' where key = 'retention_max_rows_per_run'")
    room = _room(db, api)
    fan = room.member()
    for n in range(5):
        room.say(fan, f"line {n}")
    _end(db, room, 100)
    assert _prune(db)["chat_messages"] == 3, "at most retention_max_rows_per_run per run"
    assert len(_lines(db, room)) == 2
    assert db.execute("select count(*) from private.pruned_session_chats").fetchone() == (0,), "not done yet"
    assert _prune(db)["chat_messages"] == 2
    assert _lines(db, room) == set()
    assert db.execute("select count(*) from private.pruned_session_chats").fetchone() == (1,)


def _fail(db: psycopg.Connection, job: int, attempt: int, days_ago: int) -> int:
    row = db.execute(
        "insert into private.job_failures (job_id, task_name, attempt, error, failed_at)"
        " values (%s, 'x', %s, 'Boom', now() - make_interval(days => %s)) returning id",
        (job, attempt, days_ago),
    ).fetchone()
    assert row is not None
    return int(row[0])


def test_old_job_failures_go_but_each_jobs_latest_stays(db: psycopg.Connection) -> None:
    jobs = [db.execute("select private.enqueue_job('retention_test')").fetchone()[0] for _ in range(3)]  # type: ignore[index]
    retrying = [_fail(db, jobs[0], n, days) for n, days in ((1, 40), (2, 35), (3, 31))]
    lone = _fail(db, jobs[1], 1, 60)
    fresh = [_fail(db, jobs[2], n, days) for n, days in ((1, 29), (2, 1))]
    assert _prune(db)["job_failures"] == 2
    left = db.execute(
        "select id from private.job_failures where job_id = any(%s) order by id", (jobs,)
    ).fetchall()
    assert [row[0] for row in left] == [retrying[2], lone, *fresh], (
        "the latest of a job is its dead letter's reason"
    )


def _topics(db: psycopg.Connection, *rooms: LiveRoom) -> set[str]:
    rows = db.execute(
        "select topic from private.realtime_topics where session_id = any(%s::uuid[])",
        ([r.id for r in rooms],),
    )
    return {row[0] for row in rows.fetchall()}


def test_topics_of_long_ended_rooms_go_once_their_log_is_gone(db: psycopg.Connection, api: Api) -> None:
    retired, logged, recent, live = (_room(db, api) for _ in range(4))
    listener = live.member()
    db.execute(
        "insert into private.realtime_topics (topic, session_id) values (%s, %s)",
        (f"staff:{retired.id}", retired.id),
    )
    for room, days in ((retired, 8), (logged, 8), (recent, 6)):
        _end(db, room, days)
    # The log's own prune (realtime_log_retention_hours) has run for the retired room only.
    for table in ("realtime_log", "realtime_buffer"):
        db.execute(f"delete from private.{table} where topic like %s", (f"%:{retired.id}",))
    gone = uuid.uuid4()  # a session deleted with its DJ's account: its topic left behind
    db.execute(
        "insert into private.realtime_topics (topic, session_id) values (%s, %s)", (f"session:{gone}", gone)
    )
    user_topics = db.execute(
        "select count(*) from private.realtime_topics where topic like 'user:%%'"
    ).fetchone()

    assert _prune(db)["realtime_topics"] == 3
    assert _topics(db, retired) == set()
    assert _topics(db, logged, recent, live) == {logged.topic, recent.topic, live.topic}
    assert db.execute(
        "select count(*) from private.realtime_topics where topic like 'user:%%'"
    ).fetchone() == (user_topics)
    snap: dict[str, Any] = api(retired.dj, "session_snapshot", p_session_id=retired.id)
    assert (snap["seq"], snap["delivery"]["mode"], snap["session"]["status"]) == (0, "push", "ended"), (
        "a retired room is still viewable"
    )
    assert api(listener, "session_snapshot", p_session_id=live.id)["seq"] >= 0


def test_retention_is_scheduled_hourly_by_the_service(db: psycopg.Connection) -> None:
    assert db.execute(
        "select statement, every, runs_on from private.schedule where name = 'retention'"
    ).fetchone() == ("select private.prune_retention()", dt.timedelta(hours=1), "service")
