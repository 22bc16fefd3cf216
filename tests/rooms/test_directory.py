"""The session directory: live first by listeners, then upcoming; keyset pages without gaps."""

from __future__ import annotations

import psycopg

from tests.support.api import Api, make_dj, make_session, raises_code
from tests.support.gotrue import create_user
from tests.support.postgrest import Identity


def test_directory_orders_live_by_listeners_then_upcoming_by_start(db: psycopg.Connection, api: Api) -> None:
    db.execute("update public.dj_sessions set status = 'ended', ended_at = now() where status <> 'ended'")
    live = []
    for listeners in (5, 50, 20, 20):
        session = make_session(api, make_dj(db), p_genre_tags=["house"])
        db.execute(
            "update public.dj_sessions set listener_count = %s where id = %s", (listeners, session["id"])
        )
        live.append((listeners, session["id"]))
    upcoming = [
        make_session(api, make_dj(db), live=False, p_scheduled_for=f"2099-01-0{day}T20:00:00Z")["id"]
        for day in (3, 1, 2)
    ]
    rows = api(Identity.anon(), "session_directory", p_limit=100)
    statuses = [r["status"] for r in rows]
    assert statuses == ["live"] * 4 + ["scheduled"] * 3
    assert [r["listener_count"] for r in rows[:4]] == [50, 20, 20, 5]
    assert [r["id"] for r in rows[4:]] == [upcoming[1], upcoming[2], upcoming[0]]
    assert all(r["dj_handle"] for r in rows)


def test_pages_chain_through_next_cursor_without_gaps_or_repeats(db: psycopg.Connection, api: Api) -> None:
    db.execute("update public.dj_sessions set status = 'ended', ended_at = now() where status <> 'ended'")
    made = {make_session(api, make_dj(db))["id"] for _ in range(7)}
    made |= {make_session(api, make_dj(db), live=False)["id"] for _ in range(5)}
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        page = api(create_user(db), "session_directory", p_limit=5, p_cursor=cursor)
        if not page:
            break
        seen += [row["id"] for row in page]
        cursor = page[-1]["next_cursor"]
    assert sorted(seen) == sorted(made)


def test_genre_filter_and_bad_cursor(db: psycopg.Connection, api: Api) -> None:
    techno = make_session(api, make_dj(db), p_genre_tags=["techno"])
    make_session(api, make_dj(db), p_genre_tags=["house"])
    rows = api(Identity.anon(), "session_directory", p_genre="techno", p_limit=100)
    assert [r["id"] for r in rows] == [techno["id"]]
    with raises_code("22023"):
        api(Identity.anon(), "session_directory", p_cursor="garbage")
