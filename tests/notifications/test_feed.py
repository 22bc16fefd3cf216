"""The in-app feed: own rows only, read/unread."""

from __future__ import annotations

import psycopg

from tests.support.api import Api
from tests.support.gotrue import create_user
from tests.support.postgrest import as_user


def test_users_read_and_mark_only_their_own(db: psycopg.Connection, api: Api) -> None:
    dj, fans = create_user(db), [create_user(db) for _ in range(3)]
    for fan in fans:
        api(fan, "follow", p_user_id=str(dj.id))
    assert api(dj, "unread_notification_count") == 3
    with as_user(db, fans[0]):
        assert db.execute("select count(*) from public.notifications").fetchone() == (0,)
        assert db.execute("update public.notifications set read_at = now()").rowcount == 0
    first = db.execute("select id from public.notifications where user_id = %s limit 1", (dj.id,)).fetchone()
    assert first is not None
    assert api(fans[0], "mark_notifications_read", p_ids=[str(first[0])]) == 0
    assert api(dj, "mark_notifications_read", p_ids=[str(first[0])]) == 1
    assert api(dj, "unread_notification_count") == 2
    assert api(dj, "mark_notifications_read") == 2
    assert api(dj, "unread_notification_count") == 0
