"""The text policy: hostile characters are refused everywhere free text is written, NFC is stored,
and emoji and real scripts pass untouched (issue 17 §3, docs/text-policy.md)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest

from tests.support.api import Api, answer_to, make_dj, make_session, raises_code
from tests.support.gotrue import AuthUser, create_user
from tests.support.postgrest import PostgrestError, as_user

#: The hostile values of the issue, and the code point each refusal must name.
HOSTILE = [
    ("\u202e", "U+202E"),  # right-to-left override
    ("\u2066", "U+2066"),  # left-to-right isolate
    ("\u200b", "U+200B"),  # zero-width space
    ("\ufeff", "U+FEFF"),  # zero-width no-break space (BOM)
    ("\u00ad", "U+00AD"),  # soft hyphen
    ("\x07", "U+0007"),  # BEL
    ("\x1b", "U+001B"),  # ESC (as in "\x1b[31m")
    ("\x85", "U+0085"),  # C1 next line
]


@dataclass
class World:
    db: psycopg.Connection
    api: Api
    dj: AuthUser
    session: dict[str, Any]
    listener: AuthUser
    staff: AuthUser
    message_id: str
    report_id: str

    def one(self, query: str, *params: Any) -> Any:
        row = self.db.execute(query, params).fetchone()
        return row[0] if row else None


@pytest.fixture
def world(db: psycopg.Connection, api: Api) -> World:
    dj = make_dj(db)
    session = make_session(api, dj)
    listener = create_user(db)
    api(listener, "join_session", p_session_id=session["id"])
    message = api(
        listener, "send_message", p_session_id=session["id"], p_body="hello", p_client_id=str(uuid.uuid4())
    )
    staff = create_user(db)
    db.execute("insert into private.staff (user_id, role) values (%s, 'moderator')", (staff.id,))
    report_id = api(listener, "report_content", p_target_kind="user", p_target_id=str(dj.id), p_reason="spam")
    return World(db, api, dj, session, listener, staff, message["id"], str(report_id))


def _direct(w: World, who: AuthUser, query: str, *params: Any) -> None:
    """A direct PostgREST table write as ``who``."""
    with as_user(w.db, who):
        w.db.execute(query, params)


Write = Callable[[World, str], object]
#: Every path that writes free text: (column, write(world, value), what must stay unchanged).
PATHS: dict[str, tuple[str, Write, str]] = {
    "rpc send_message": (
        "body",
        lambda w, v: w.api(
            w.listener, "send_message", p_session_id=w.session["id"], p_body=v, p_client_id=str(uuid.uuid4())
        ),
        "select count(*) from public.chat_messages",
    ),
    "rpc create_session title": (
        "title",
        lambda w, v: w.api(
            make_dj(w.db),
            "create_session",
            p_title=v,
            p_start_now=False,
            p_scheduled_for="2099-01-01T20:00:00Z",
        ),
        "select count(*) from public.dj_sessions",
    ),
    "rpc create_session description": (
        "description",
        lambda w, v: w.api(
            make_dj(w.db),
            "create_session",
            p_title="Night",
            p_description=v,
            p_start_now=False,
            p_scheduled_for="2099-01-01T20:00:00Z",
        ),
        "select count(*) from public.dj_sessions",
    ),
    "rpc update_session_details title": (
        "title",
        lambda w, v: w.api(w.dj, "update_session_details", p_session_id=w.session["id"], p_title=v),
        "select title from public.dj_sessions",
    ),
    "rpc announce": (
        "announcement",
        lambda w, v: w.api(w.dj, "announce", p_session_id=w.session["id"], p_body=v),
        "select count(announcement) from public.dj_sessions",
    ),
    "rpc ban_user reason": (
        "reason",
        lambda w, v: w.api(w.dj, "ban_user", p_dj_id=str(w.dj.id), p_user_id=str(w.listener.id), p_reason=v),
        "select count(*) from public.dj_bans",
    ),
    "rpc add_blocked_term": (
        "term",
        lambda w, v: w.api(w.dj, "add_blocked_term", p_term=v),
        "select count(*) from public.dj_blocked_terms",
    ),
    "rpc delete_message reason": (
        "delete_reason",
        lambda w, v: w.api(w.dj, "delete_message", p_message_id=w.message_id, p_reason=v),
        "select string_agg(status::text, ',') from public.chat_messages",
    ),
    "rpc clear_user_messages reason": (
        "delete_reason",
        lambda w, v: w.api(
            w.dj,
            "clear_user_messages",
            p_session_id=w.session["id"],
            p_user_id=str(w.listener.id),
            p_reason=v,
        ),
        "select string_agg(status::text, ',') from public.chat_messages",
    ),
    "rpc report_content details": (
        "details",
        lambda w, v: w.api(
            w.listener,
            "report_content",
            p_target_kind="session",
            p_target_id=w.session["id"],
            p_reason="spam",
            p_details=v,
        ),
        "select count(*) from public.reports",
    ),
    "rpc resolve_report note": (
        "resolution_note",
        lambda w, v: w.api(
            w.staff, "resolve_report", p_report_id=w.report_id, p_status="dismissed", p_note=v
        ),
        "select string_agg(status::text, ',') from public.reports",
    ),
    "direct chat_messages insert": (
        "body",
        lambda w, v: _direct(
            w,
            w.listener,
            "insert into public.chat_messages (id, session_id, body) values (%s, %s, %s)",
            uuid.uuid4(),
            w.session["id"],
            v,
        ),
        "select count(*) from public.chat_messages",
    ),
    "direct profiles display_name": (
        "display_name",
        lambda w, v: _direct(
            w, w.listener, "update public.profiles set display_name = %s where id = %s", v, w.listener.id
        ),
        "select string_agg(display_name, ',' order by id) from public.profiles",
    ),
    "direct profiles bio": (
        "bio",
        lambda w, v: _direct(
            w, w.listener, "update public.profiles set bio = %s where id = %s", v, w.listener.id
        ),
        "select string_agg(bio, ',' order by id) from public.profiles",
    ),
    "direct playlists insert": (
        "name",
        lambda w, v: _direct(
            w, w.listener, "insert into public.playlists (owner_id, name) values (%s, %s)", w.listener.id, v
        ),
        "select count(*) from public.playlists",
    ),
    "direct dj_bans insert": (
        "reason",
        lambda w, v: _direct(
            w,
            w.dj,
            "insert into public.dj_bans (dj_id, user_id, kind, reason) values (%s, %s, 'ban', %s)",
            w.dj.id,
            w.listener.id,
            v,
        ),
        "select count(*) from public.dj_bans",
    ),
    "direct dj_blocked_terms insert": (
        "term",
        lambda w, v: _direct(
            w, w.dj, "insert into public.dj_blocked_terms (dj_id, term) values (%s, %s)", w.dj.id, v
        ),
        "select count(*) from public.dj_blocked_terms",
    ),
    "direct reports resolution_note": (
        "resolution_note",
        lambda w, v: _direct(
            w,
            w.staff,
            "update public.reports set status = 'dismissed', resolution_note = %s where id = %s",
            v,
            w.report_id,
        ),
        "select count(resolution_note) from public.reports",
    ),
    "direct tips insert": (
        "message",
        lambda w, v: _direct(
            w,
            w.listener,
            "insert into public.tips (session_id, amount, currency, message,"
            " client_request_id) values (%s, 500, 'eur', %s, %s)",
            w.session["id"],
            v,
            uuid.uuid4(),
        ),
        "select count(*) from public.tips",
    ),
}


def _refusal(exc: BaseException) -> tuple[str, dict[str, Any]]:
    answer = (
        exc if isinstance(exc, PostgrestError) else answer_to(exc) if isinstance(exc, psycopg.Error) else None
    )
    assert answer is not None, exc
    assert answer.hint
    return answer.code, json.loads(answer.details or "{}")


@pytest.mark.parametrize("path", list(PATHS))
def test_hostile_characters_are_refused_and_nothing_is_stored(world: World, path: str) -> None:
    column, write, state_query = PATHS[path]
    before = world.one(state_query)
    for char, code_point in HOSTILE:
        with pytest.raises((PostgrestError, psycopg.Error)) as caught:
            write(world, f"Lia{char} night")
        code, details = _refusal(caught.value)
        assert (code, details.get("column"), details.get("code_point")) == ("BADCH", column, code_point), path
        assert world.one(state_query) == before, f"{path}: nothing may change ({code_point})"


def test_staff_platform_ban_reasons_obey_the_policy(world: World) -> None:
    with pytest.raises(psycopg.Error) as caught, world.db.transaction():
        world.db.execute(
            "insert into private.platform_bans (user_id, reason) values (%s, %s)",
            (world.listener.id, "spam\u202e"),
        )
    assert caught.value.sqlstate == "BADCH"


def test_a_nul_never_reaches_a_column(world: World) -> None:
    with pytest.raises(PostgrestError) as caught:  # PostgreSQL's own parsing error: no hint
        world.api(
            world.listener,
            "send_message",
            p_session_id=world.session["id"],
            p_body="a\x00b",
            p_client_id=str(uuid.uuid4()),
        )
    assert caught.value.code == "22P05"
    assert world.one("select count(*) from public.chat_messages") == 1


@pytest.mark.parametrize(
    "body",
    [
        "family night 👨\u200d👩\u200d👧",  # ZWJ sequence
        "love it \u2764\ufe0f",  # variation selector 16
        "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f tonight",  # subdivision flag (tags)
        "1\ufe0f\u20e3 more song",  # keycap
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian with ZWNJ
        "\u0915\u094d\u200d\u0937",  # Devanagari with ZWJ
        "\u05e9\u05dc\u05d5\u05dd \u200f!",  # Hebrew with a right-to-left mark
        "first line\nsecond\tcolumn",  # newline and tab in a multi-line field
    ],
)
def test_emoji_and_real_scripts_are_kept_as_sent(world: World, body: str) -> None:
    stored = world.api(
        world.listener,
        "send_message",
        p_session_id=world.session["id"],
        p_body=body,
        p_client_id=str(uuid.uuid4()),
    )
    assert stored["body"] == body


def test_decomposed_text_is_stored_composed_and_blocked_terms_see_it(world: World) -> None:
    world.api(world.dj, "add_blocked_term", p_term="cafe\u0301 noir")  # NFD in, NFC stored
    assert world.one("select term from public.dj_blocked_terms") == "caf\u00e9 noir"
    stored = world.api(
        world.listener,
        "send_message",
        p_session_id=world.session["id"],
        p_body="Cre\u0300me bru\u0302le\u0301e",
        p_client_id=str(uuid.uuid4()),
    )
    assert stored["body"] == "Cr\u00e8me br\u00fbl\u00e9e"
    with raises_code("TERMS"):  # the check trigger matches the NFC body against the NFC term
        world.api(
            world.listener,
            "send_message",
            p_session_id=world.session["id"],
            p_body="un cafe\u0301 noir",
            p_client_id=str(uuid.uuid4()),
        )


def test_single_line_and_name_fields_refuse_newlines_and_bidi_marks(world: World) -> None:
    with raises_code("BADCH") as caught:
        world.api(
            world.dj, "update_session_details", p_session_id=world.session["id"], p_title="Night\nshift"
        )
    assert json.loads(caught.value.details or "{}")["code_point"] == "U+000A"
    with raises_code("BADCH"):
        world.api(world.dj, "update_session_details", p_session_id=world.session["id"], p_title="\u200fNight")
    with raises_code("BADCH"):
        world.api(world.dj, "add_blocked_term", p_term="bad\tword")
    assert world.api(world.dj, "announce", p_session_id=world.session["id"], p_body="doors\nopen") is not None


def test_unchanged_legacy_text_does_not_block_other_updates(world: World) -> None:
    # Rows from before the policy keep their text; an update that does not touch it passes.
    world.db.execute("alter table public.profiles disable trigger _010_text_policy")
    world.db.execute("update public.profiles set bio = 'old\u202e' where id = %s", (world.listener.id,))
    world.db.execute("alter table public.profiles enable trigger _010_text_policy")
    _direct(world, world.listener, "update public.profiles set is_dj = true where id = %s", world.listener.id)
    assert world.one("select is_dj from public.profiles where id = %s", world.listener.id) is True
