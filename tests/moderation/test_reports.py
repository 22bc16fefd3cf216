"""Reports go into a queue only staff read; filing is idempotent and rate-limited."""

from __future__ import annotations

import uuid

import psycopg

from tests.support.api import Api, make_dj, make_session, raises_code
from tests.support.gotrue import AuthUser, create_user
from tests.support.postgrest import as_user


def _staff(db: psycopg.Connection) -> AuthUser:
    staff = create_user(db)
    db.execute("insert into private.staff (user_id, role) values (%s, 'moderator')", (staff.id,))
    return staff


def test_reports_are_filed_once_and_read_only_by_staff(db: psycopg.Connection, api: Api) -> None:
    dj, reporter = make_dj(db), create_user(db)
    session = make_session(api, dj)
    api(reporter, "join_session", p_session_id=session["id"])
    message = api(dj, "send_message", p_session_id=session["id"], p_body="hm", p_client_id=str(uuid.uuid4()))
    report_id = api(
        reporter, "report_content", p_target_kind="message", p_target_id=message["id"], p_reason="spam"
    )
    assert api(reporter, "report_content", p_target_kind="message", p_target_id=message["id"],
               p_reason="spam") == report_id  # fmt: skip
    row = db.execute(
        "select target_user_id, target_session_id from public.reports where id = %s", (report_id,)
    ).fetchone()
    assert row == (dj.id, uuid.UUID(session["id"]))
    with as_user(db, reporter):
        assert db.execute("select count(*) from public.reports").fetchone() == (0,)
    with as_user(db, _staff(db)):
        assert db.execute("select count(*) from public.reports").fetchone() == (1,)


def test_reporting_nothing_and_reporting_too_much(db: psycopg.Connection, api: Api) -> None:
    reporter = create_user(db)
    with raises_code("P0002"):
        api(reporter, "report_content", p_target_kind="user", p_target_id=str(uuid.uuid4()), p_reason="spam")
    for _ in range(5):
        api(
            reporter,
            "report_content",
            p_target_kind="user",
            p_target_id=str(create_user(db).id),
            p_reason="spam",
        )
    with raises_code("RATEL"):
        api(
            reporter,
            "report_content",
            p_target_kind="user",
            p_target_id=str(create_user(db).id),
            p_reason="spam",
        )


def test_staff_resolve_reports_and_it_is_logged(db: psycopg.Connection, api: Api) -> None:
    reporter, target, staff = create_user(db), create_user(db), _staff(db)
    report_id = api(
        reporter, "report_content", p_target_kind="user", p_target_id=str(target.id), p_reason="hate"
    )
    with raises_code("P0002"):
        api(reporter, "resolve_report", p_report_id=report_id, p_status="dismissed")
    resolved = api(staff, "resolve_report", p_report_id=report_id, p_status="actioned", p_note="banned")
    assert (resolved["status"], resolved["handled_by"]) == ("actioned", str(staff.id))
    with raises_code("STATE"):
        api(staff, "resolve_report", p_report_id=report_id, p_status="open")
    entry = db.execute(
        "select action, chain_id from public.moderation_log where target_user_id = %s", (target.id,)
    ).fetchone()
    assert entry == ("resolve_report", uuid.UUID(int=0))
