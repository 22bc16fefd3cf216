"""Every error reaches the app with the HTTP status it means, as real PostgREST would answer it.

PostgREST answers P0002 with 500 and our own codes with 400 (docs/error-codes.md, "HTTP
statuses"); a code with another status must be raised as a PGRST error. Read from the catalog,
so a function added later that raises such a code plainly fails here.
"""

from __future__ import annotations

import math
import re
import uuid

import psycopg
import pytest

from tests.support.api import Api, make_dj, make_session, raises_code
from tests.support.gotrue import create_user
from tests.support.postgrest import Identity, PostgrestError
from whatssound_svc import paths

_PLAIN = re.compile(r"errcode\s*=\s*'([0-9A-Z]{5})'")
_PGRST = re.compile(r"raise sqlstate 'PGRST' using\s+message = hidden\.api_error\(\s*'(\w+)'.*?detail = "
                    r"hidden\.api_response\('(\w+)'", re.S)  # fmt: skip
_BODIES = """
select p.oid::regprocedure::text, p.prosrc from pg_proc as p
join pg_namespace as n on n.oid = p.pronamespace
join pg_language as l on l.oid = p.prolang
where n.nspname in ('public', 'hidden', 'private') and l.lanname = 'plpgsql'
"""


def _status(db: psycopg.Connection, code: str) -> int:
    row = db.execute("select hidden.api_status(%s)", (code,)).fetchone()
    assert row is not None
    return int(row[0])


def test_no_function_raises_a_code_whose_status_is_not_400_plainly(db: psycopg.Connection) -> None:
    plain, mismatched, pgrst = [], [], 0
    for function, body in db.execute(_BODIES).fetchall():
        for code in set(_PLAIN.findall(body)) - {"42501"}:  # 42501: PostgREST answers 401/403 itself
            if _status(db, code) != 400:
                plain.append(f"{function}: {code}")
        for said, sent in _PGRST.findall(body):
            pgrst += 1
            if said != sent:
                mismatched.append(f"{function}: api_error {said}, api_response {sent}")
    assert plain == [], "raise these as PGRST (hidden.api_error / hidden.api_response)"
    assert mismatched == []
    assert pgrst > 100, "the catalog was read"


def test_the_registry_lists_the_status_the_database_sends(db: psycopg.Connection) -> None:
    text = (paths.REPO_ROOT / "docs" / "error-codes.md").read_text()
    registry = text[text.index("## Built-in SQLSTATEs") : text.index("## Argument parsing")]
    registry += text[text.index("## Database (SQLSTATE)") : text.index("## Service")]
    rows = re.findall(r"^\| `([0-9A-Z]{5})` \| ([0-9]{3}|—|401 / 403) \|", registry, flags=re.MULTILINE)
    listed = dict(rows)
    assert len(listed) > 40
    assert listed.pop("42501") == "401 / 403"
    wrong = {code: (http, _status(db, code)) for code, http in listed.items() if http != "—"}
    wrong = {code: pair for code, pair in wrong.items() if int(pair[0]) != pair[1]}
    assert wrong == {}, "docs/error-codes.md (HTTP) and hidden.api_status disagree"


def test_what_the_app_gets_for_each_kind_of_refusal(db: psycopg.Connection, api: Api) -> None:
    dj = make_dj(db)
    session = make_session(api, dj)
    fan = create_user(db, "phone")
    api(fan, "join_session", p_session_id=session["id"])

    with raises_code("P0002", status=404) as missing:  # was 500: PostgREST's status for P0...
        api(fan, "join_session", p_session_id=str(uuid.uuid4()))
    assert missing.value.headers == {}

    no_user = Identity(role="authenticated", claims={"role": "authenticated"})
    with raises_code("LOGIN", status=401) as login:
        api(no_user, "send_message", p_session_id=session["id"], p_body="hi", p_client_id=str(uuid.uuid4()))
    assert login.value.headers == {"WWW-Authenticate": "Bearer"}

    with pytest.raises(PostgrestError) as denied:  # native: the anon key may not call it at all
        api(None, "send_message", p_session_id=session["id"], p_body="hi", p_client_id=str(uuid.uuid4()))
    assert (denied.value.code, denied.value.status) == ("42501", 401)
    assert denied.value.headers == {"WWW-Authenticate": "Bearer"}

    with raises_code("22023", status=400):
        api(fan, "react", p_session_id=session["id"], p_emoji="not an emoji")

    with raises_code("RATEL", status=429) as limited:
        for _ in range(100):
            api(fan, "react", p_session_id=session["id"], p_emoji="🔥")
    wait = float(re.search(r'"retry_after_seconds" ?: ?([0-9.e-]+)', limited.value.details or "").group(1))  # type: ignore[union-attr]
    assert limited.value.headers == {"Retry-After": str(max(1, math.ceil(wait)))}

    api(dj, "end_session", p_session_id=session["id"])
    with raises_code("ENDED", status=409):
        api(fan, "send_message", p_session_id=session["id"], p_body="hi", p_client_id=str(uuid.uuid4()))
