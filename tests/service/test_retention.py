"""Scheduled maintenance: sessions whose DJ vanished are ended; old rows go per the retention policy
and nothing younger does."""

from __future__ import annotations

import json

import psycopg

from tests.support.api import Api, make_dj, make_session
from tests.support.gotrue import create_user


def test_a_session_whose_dj_vanished_is_ended(db: psycopg.Connection, api: Api) -> None:
    gone, here = make_dj(db), make_dj(db)
    abandoned, running = make_session(api, gone), make_session(api, here)
    for dj, session in ((gone, abandoned), (here, running)):
        api(dj, "join_session", p_session_id=session["id"])  # the DJ's app is in the room and heartbeats
    db.execute("update public.dj_sessions set started_at = now() - interval '2 hours' where id in (%s, %s)",
               (abandoned["id"], running["id"]))  # fmt: skip
    db.execute("update public.session_members set last_seen_at = now() - interval '31 minutes' where session_id = %s",
               (abandoned["id"],))  # fmt: skip
    assert db.execute("select private.end_abandoned_sessions()").fetchone() == (1,)
    states = dict(db.execute("select id::text, status::text from public.dj_sessions where id in (%s, %s)",
                             (abandoned["id"], running["id"])).fetchall())  # fmt: skip
    assert states == {abandoned["id"]: "ended", running["id"]: "live"}


def test_a_dj_who_never_joined_keeps_the_room_while_listeners_are_there(
    db: psycopg.Connection, api: Api
) -> None:
    dj = make_dj(db)
    session = make_session(api, dj)
    db.execute(
        "update public.dj_sessions set started_at = now() - interval '2 hours' where id = %s",
        (session["id"],),
    )
    listener = create_user(db)
    api(listener, "join_session", p_session_id=session["id"])
    assert db.execute("select private.end_abandoned_sessions()").fetchone() == (0,)
    db.execute("update public.session_members set last_seen_at = now() - interval '1 hour' where session_id = %s",
               (session["id"],))  # fmt: skip
    assert db.execute("select private.end_abandoned_sessions()").fetchone() == (1,), "nobody left: ended"


def test_retention_deletes_only_what_the_policy_no_longer_keeps(db: psycopg.Connection) -> None:
    for n, (age, handled) in enumerate([(100, True), (100, False), (10, True)]):
        db.execute(
            "select private.record_webhook_event('stripe', %s, 'x', true, null, now(), '{}')", (f"evt_r{n}",)
        )
        db.execute(
            "update private.webhook_events set received_at = now() - make_interval(days => %s),"
            " handled_at = case when %s then now() - make_interval(days => %s) end where event_id = %s",
            (age, handled, age, f"evt_r{n}"),
        )
    user = create_user(db)
    for n, (age, read) in enumerate([(100, True), (100, False), (200, False), (10, True)]):
        db.execute(
            "insert into public.notifications (user_id, kind, dedupe_key, created_at, read_at)"
            " values (%s, 'mention', %s, now() - make_interval(days => %s), case when %s then now() end)",
            (user.id, f"r{n}", age, read),
        )
    done = db.execute("select private.prune_retention()").fetchone()[0]  # type: ignore[index]
    assert (done["webhook_events"], done["notifications"]) == (1, 2)
    kept = db.execute("select event_id from private.webhook_events where event_id like 'evt_r%%' order by 1")
    assert kept.fetchall() == [("evt_r1",), ("evt_r2",)], "unhandled events are never pruned"
    left = db.execute("select dedupe_key from public.notifications where user_id = %s order by 1", (user.id,))
    assert left.fetchall() == [("r1",), ("r3",)]
    assert json.dumps(done)
