"""``whatssound rpc``: acting as a seeded demo user against a real database, as PostgREST would."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import typer
from typer.testing import CliRunner, Result

from tests.conftest import FreshDb
from whatssound_svc import seeds
from whatssound_svc.cli import app as cli
from whatssound_svc.cli.rpc import parse_arguments
from whatssound_svc.local.gotrue import identity_for

#: The seed's live session (supabase/seed.sql): DJ dj_nova, moderator mod_max, listeners lia, leo.
LIVE = "d5000000-0000-4000-8000-000000000001"
LEO = "d0000000-0000-4000-8000-000000000103"


class Seeded:
    def __init__(self, db: FreshDb) -> None:
        self.conn = db.connect("postgres")
        seeds.apply_seeds(self.conn, report=lambda _m: None)
        self.env = {"DATABASE_URL": db.url(), "COLUMNS": "200"}

    def run(self, *args: str, code: int = 0) -> Result:
        result = CliRunner().invoke(cli, ["rpc", *args], env=self.env)
        assert result.exit_code == code, result.output
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args).stdout)

    def error(self, *args: str, code: int) -> tuple[dict[str, Any], str]:
        """PostgREST's error body (stdout) and the status line (stderr's first) of a refused call."""
        result = self.run(*args, code=code)
        return json.loads(result.stdout), result.stderr.strip().splitlines()[0]


@pytest.fixture
def local(fresh_db: FreshDb) -> Iterator[Seeded]:
    seeded = Seeded(fresh_db)
    try:
        yield seeded
    finally:
        seeded.conn.close()


def test_a_demo_user_reads_through_a_stable_rpc(local: Seeded) -> None:
    history = local.json("--as", "lia", "chat_history", f"p_session_id={LIVE}")
    assert {m["body"] for m in history} == {
        "Welcome in! Drop your requests 🎧", "this bassline 🔥🔥", "hi from Lisbon! @dj_nova play something deep",
        "Be kind, have fun. Requests go in the queue tab.",
    }  # fmt: skip
    assert local.json("--as", "@LIA", "chat_history", "--json-body", json.dumps({"p_session_id": LIVE})) == (
        local.json("--as", "lia", "chat_history", f"p_session_id={LIVE}")
    ), "a handle is matched as the app types it, and a JSON body is the same call"


def test_a_demo_user_writes_by_phone_number_and_it_is_committed(local: Seeded) -> None:
    client_id = str(uuid.uuid4())
    sent = local.json(
        "--as", "+1 555 555 0103", "send_message", f"p_session_id={LIVE}", "p_body=hello from the cli",
        f"p_client_id={client_id}",
    )  # fmt: skip
    assert (sent["body"], sent["author_id"], sent["id"]) == ("hello from the cli", LEO, client_id)
    row = local.conn.execute("select author_id::text from public.chat_messages where id = %s", (client_id,))
    assert row.fetchone() == (LEO,), "the request is a real, committed transaction"
    again = local.json("--as", LEO, "chat_history", f"p_session_id={LIVE}", "p_limit=1")
    assert [m["id"] for m in again] == [client_id], "a user id works too"


def test_the_call_sees_the_claims_supabase_auth_would_issue(local: Seeded) -> None:
    identity = identity_for(local.conn, "dj_nova")
    assert identity.role == "authenticated"
    claims = identity.claims or {}
    assert (claims["phone"], claims["aud"], claims["amr"][0]["method"]) == (
        "15555550100",
        "authenticated",
        "otp",
    )
    assert claims["app_metadata"]["provider"] == "phone"
    assert claims["whatssound"] == {
        "v": 1, "role": None, "dj": True, "handle": "dj_nova", "entitlements": []
    }, "the custom access token hook ran"  # fmt: skip


def test_a_refused_action_prints_postgrest_s_error_and_changes_nothing(local: Seeded) -> None:
    queue = "select array_agg((id, status) order by id)::text from public.queue_items where session_id = %s"
    before = local.conn.execute(queue, (LIVE,)).fetchone()
    body, status = local.error(
        "--as", "lia", "control_queue", f"p_session_id={LIVE}", "p_action=advance", code=4
    )
    assert set(body) == {"code", "message", "details", "hint"}
    assert body["code"] == "42501"
    assert body["hint"], "every rejection carries a hint"
    assert status == "HTTP 403 Forbidden"
    assert local.conn.execute(queue, (LIVE,)).fetchone() == before


def test_anon_is_refused_where_postgrest_refuses_it_and_served_where_granted(local: Seeded) -> None:
    body, status = local.error(
        "--as", "anon", "send_message", f"p_session_id={LIVE}", "p_body=hi", f"p_client_id={uuid.uuid4()}", code=4
    )  # fmt: skip
    assert (body["code"], status) == ("42501", "HTTP 401 Unauthorized")
    assert "WWW-Authenticate: Bearer" in local.run(
        "--as", "anon", "send_message", f"p_session_id={LIVE}", "p_body=hi", f"p_client_id={uuid.uuid4()}", code=4
    ).stderr.splitlines()  # fmt: skip
    directory = local.json("--as", "anon", "session_directory", "p_limit=5")
    assert LIVE in [entry["id"] for entry in directory]


def test_a_suspended_user_is_refused_by_the_pre_request_hook(local: Seeded) -> None:
    local.conn.execute("update auth.users set banned_until = now() + interval '1 day' where id = %s", (LEO,))
    body, status = local.error("--as", "leo", "session_directory", code=4)
    assert (body["code"], status) == ("SUSPD", "HTTP 403 Forbidden")
    assert body["message"] == "This account is suspended."


def test_an_unknown_function_or_user_is_said_plainly(local: Seeded) -> None:
    body, status = local.error("--as", "lia", "no_such_rpc", "p_x=1", code=4)
    assert (body["code"], status) == ("PGRST202", "HTTP 404 Not Found")
    assert body["message"] == "Could not find the function public.no_such_rpc(p_x) in the schema cache"
    assert "no user 'nobody'" in local.run("--as", "nobody", "session_directory", code=3).stderr
    assert "schema public" in local.run("--as", "lia", "private.find_users", code=2).output


def test_arguments_are_what_a_json_body_would_carry(local: Seeded) -> None:
    assert parse_arguments(["n=5", "s=abc", "x:=[1,2]", "b=true", "u=d0000000-0000-4000-8000-000000000103"], None) == {
        "n": 5, "s": "abc", "x": [1, 2], "b": True, "u": LEO
    }  # fmt: skip
    assert parse_arguments(['s:="5"', "e=", "eq=a=b", "j=x:=y", "f=NaN"], None) == {
        "s": "5", "e": "", "eq": "a=b", "j": "x:=y", "f": "NaN"
    }  # fmt: skip
    assert parse_arguments([], '{"p_limit": 1}') == {"p_limit": 1}
    refused = (
        (["x:=abc"], None),
        (["x:=NaN"], None),
        (["novalue"], None),
        (["=1"], None),
        ([":=1"], None),
        ([], "[1]"),
        (["a=1"], "{}"),
    )
    for pairs, json_body in refused:
        with pytest.raises(typer.BadParameter):
            parse_arguments(pairs, json_body)
    one = local.json("--as", "lia", "chat_history", f"p_session_id={LIVE}", "p_limit=1")
    assert len(one) == 1, "p_limit=1 arrived as a number"
    error, _ = local.error("--as", "lia", "chat_history", f"p_session_id={LIVE}", 'p_limit:="x"', code=4)
    assert error["code"] == "22P02", "a JSON string where an integer goes: PostgREST's cast error"
