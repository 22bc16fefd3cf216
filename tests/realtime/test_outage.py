"""Two minutes without the service (or pg_cron): what still reaches every room, and that nothing is
lost when the declared work runs again (the scheduled flush and presence refresh)."""

from __future__ import annotations

import psycopg

from tests.realtime.conftest import Clock, flush, set_setting
from tests.realtime.test_ticks import make_crowd
from tests.support.api import make_dj, make_session
from tests.support.broadcasts import Broadcasts, Poller
from tests.support.rooms import LiveRoom

OUTAGE_S = 120


def test_two_minutes_without_the_scheduler_lose_nothing(
    db: psycopg.Connection, live: LiveRoom, clock: Clock
) -> None:
    set_setting(db, "chat_rate_messages", 10_000)  # one transaction here: its now() never moves
    crowd = make_crowd(db, live)  # pull rooms from 2 listeners
    small = LiveRoom(crowd.api, dj := make_dj(db), make_session(crowd.api, dj))
    set_setting(db, "realtime_pull_min_listeners", 50)  # the small room stays a push room
    small_people = [small.member() for _ in range(3)]
    crowd.api(crowd.dj, "join_session", p_session_id=crowd.id)
    crowd_people = [crowd.member() for _ in range(4)]
    db.execute("select private.refresh_presence()")
    flush(db)
    poller = Poller(crowd.api, crowd_people[0], crowd.id)
    poller.poll()
    broadcasts = Broadcasts(db)
    counted = db.execute(
        "select listener_count from public.dj_sessions where id = %s", (crowd.id,)
    ).fetchone()
    assert counted is not None

    # The service is down: nothing runs private.schedule for two minutes; the apps go on.
    sent_small, sent_crowd, announced = [], [], []
    seen_during: list[str] = []
    for t in range(OUTAGE_S):
        clock.advance(1)
        sent_small.append(small.say(small_people[t % 3], f"small {t}")["id"])
        sent_crowd.append(crowd.say(crowd_people[t % 4], f"crowd {t}")["id"])
        if t % 30 == 0:
            announced.append(
                crowd.api(crowd.dj, "announce", p_session_id=crowd.id, p_body=f"at {t}")["announcement"]
            )
        if t % 10 == 0:
            seen_during += [b.event for b in poller.poll()]
    crowd.member()  # someone joins during the outage

    pushed = broadcasts.take(small.topic)
    assert [b.data["id"] for b in pushed if b.event == "chat.message"] == sent_small, (
        "a push room is broadcast every line at once, scheduler or not"
    )
    staff = broadcasts.take(f"staff:{crowd.id}")
    assert [b.data["id"] for b in staff if b.event == "chat.message"] == sent_crowd, (
        "the crowd's DJ has every line at once on the staff lane"
    )
    assert seen_during.count("session.announcement") == len(announced), "at-once events reach polls at once"
    assert "tick" not in seen_during, "the crowd's chat waits for the flusher"
    assert (
        db.execute("select listener_count from public.dj_sessions where id = %s", (crowd.id,)).fetchone()
        == counted
    ), "counts freeze without the presence refresh"

    # The service (or pg_cron) is back: the declared work runs as scheduled.
    tasks = db.execute(
        "select name, statement from private.schedule where runs_on = 'database' order by name"
    ).fetchall()
    assert [name for name, _ in tasks] == [
        "prune_cron_history",
        "realtime_flush",
        "realtime_prune",
        "refresh_presence",
    ]
    for _ in range(3):  # three seconds of the schedule: the backlog, bounded per flush, drains
        clock.advance(1)
        for _, statement in tasks:
            db.execute(statement)
    assert db.execute("select count(*) from private.realtime_buffer").fetchone() == (0,)
    frames = [b for b in poller.poll() if b.event == "tick"]
    lines = [m["id"] for f in frames for m in f.data["chat"]]
    omitted = sum(f.data["chat_omitted"] for f in frames)
    assert len(lines) + omitted == OUTAGE_S, "every crowd line is in a frame or counted (chat_since has it)"
    assert set(lines) <= set(sent_crowd)
    history = crowd.api(crowd_people[0], "chat_since", p_session_id=crowd.id,
                        p_after_created_at="-infinity", p_limit=200)  # fmt: skip
    assert {m["id"] for m in history} >= set(sent_crowd), "nothing lost"
    assert db.execute(
        "select listener_count from public.dj_sessions where id = %s", (crowd.id,)
    ).fetchone() == (counted[0] + 1,), "counts catch up"
