"""The harness answers database errors with PostgREST's statuses (whatssound_svc.local.postgrest).

The cases are PostgREST's own (``mapSQLtoHTTP`` and ``parseRaisePGRST`` in
src/library/PostgREST/Error.hs at the commit ``POSTGREST_SOURCE`` names; its docs'
references/errors.rst table); the edge functions' ``statusOf`` must agree
(tests/integration/test_edge_deno.py runs the same cases through Deno).
"""

from __future__ import annotations

import json

import pytest

from whatssound_svc.local.postgrest import PostgrestError, status_of

#: (sqlstate, message, signed in) -> status, one case per rule of mapSQLtoHTTP.
CASES: list[tuple[str, str, bool, int]] = [
    ("08006", "connection failure", True, 503),
    ("09000", "triggered action", True, 500),
    ("0L000", "invalid grantor", True, 403),
    ("0P000", "invalid role specification", True, 403),
    ("23503", "fk", True, 409),
    ("23505", "unique", True, 409),
    ("23514", "check", True, 400),
    ("25006", "read only", True, 405),
    ("25P02", "in failed transaction", True, 500),
    ("21000", "UPDATE requires a WHERE clause", True, 400),
    ("21000", "more than one row returned by a subquery used as an expression", True, 500),
    ("22023", 'role "nobody" does not exist', True, 401),
    ("22023", "Invalid title.", True, 400),
    ("22P02", "invalid input syntax for type uuid", True, 400),
    ("28000", "invalid authorization", True, 403),
    ("2D000", "invalid transaction termination", True, 500),
    ("38000", "external routine", True, 500),
    ("39000", "external routine invocation", True, 500),
    ("3B000", "savepoint", True, 500),
    ("40001", "serialization failure", True, 500),
    ("53400", "configuration limit exceeded", True, 500),
    ("53300", "too many connections", True, 503),
    ("54000", "program limit", True, 500),
    ("55P03", "lock not available", True, 500),
    ("57P01", "terminating connection due to administrator command", True, 503),
    ("57014", "canceling statement due to statement timeout", True, 500),
    ("58000", "system error", True, 500),
    ("F0000", "config file", True, 500),
    ("HV000", "fdw", True, 500),
    ("P0001", "raise", True, 400),
    ("P0002", "No such session.", True, 500),  # why our not-found codes are PGRST raises
    ("P0004", "assert failure", True, 500),
    ("XX000", "internal", True, 500),
    ("42883", "function xmlagg(integer) does not exist", True, 406),
    ("42883", "function nope() does not exist", True, 404),
    ("42P01", "relation does not exist", True, 404),
    ("42P17", "infinite recursion detected in policy", True, 500),
    ("42501", "permission denied", True, 403),
    ("42501", "permission denied", False, 401),
    ("PT402", "Payment Required", True, 402),
    ("PTABC", "not a number", True, 500),
    ("RATEL", "You are reacting very fast.", True, 400),  # any code PostgREST does not know
    ("LOGIN", "You need to be signed in to do that.", True, 400),
]


@pytest.mark.parametrize(("sqlstate", "message", "authenticated", "status"), CASES)
def test_the_status_is_postgrests(sqlstate: str, message: str, authenticated: bool, status: int) -> None:
    assert status_of(sqlstate, message, authenticated) == status


class _Diag:
    def __init__(self, message: str, detail: str | None, hint: str | None = None) -> None:
        self.message_primary, self.message_detail, self.message_hint = message, detail, hint


class _Raised(Exception):
    """Stands in for a psycopg.Error: what PostgreSQL reported (sqlstate and diagnostics)."""

    def __init__(self, sqlstate: str, message: str, detail: str | None, hint: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate, self.diag = sqlstate, _Diag(message, detail, hint)


def _answer(sqlstate: str, message: str, detail: str | None, role: str = "authenticated") -> PostgrestError:
    return PostgrestError(_Raised(sqlstate, message, detail), role)  # type: ignore[arg-type]


def test_a_pgrst_raise_sets_the_body_status_and_headers() -> None:
    body = {
        "code": "RATEL",
        "message": "Slow down.",
        "details": '{"retry_after_seconds": 2}',
        "hint": "Wait.",
    }
    answer = _answer("PGRST", json.dumps(body), json.dumps({"status": 429, "headers": {"Retry-After": "2"}}))
    assert (answer.status, answer.headers, answer.body()) == (429, {"Retry-After": "2"}, body)


@pytest.mark.parametrize(
    ("message", "detail", "why"),
    [
        ("not json", '{"status": 404, "headers": {}}', "Invalid JSON value for MESSAGE: 'not json'"),
        ('{"message": "no code"}', '{"status": 404, "headers": {}}', "Invalid JSON value for MESSAGE"),
        ('{"code": "X", "message": "m", "details": {"a": 1}}', '{"status": 404, "headers": {}}', "MESSAGE"),
        ('{"code": "X", "message": "m"}', None, "DETAIL is missing in the RAISE statement"),
        ('{"code": "X", "message": "m"}', '{"status": 404}', "Invalid JSON value for DETAIL"),
        (
            '{"code": "X", "message": "m"}',
            '{"status": "404", "headers": {}}',
            "Invalid JSON value for DETAIL",
        ),
        ('{"code": "X", "message": "m"}', '{"status": 429, "headers": {"Retry-After": 2}}', "DETAIL"),
    ],
)
def test_a_pgrst_raise_that_does_not_parse_is_pgrst121(message: str, detail: str | None, why: str) -> None:
    answer = _answer("PGRST", message, detail)
    assert (answer.code, answer.status) == ("PGRST121", 500)
    assert answer.message == "Could not parse JSON in the \"RAISE SQLSTATE 'PGRST'\" error"
    assert why in (answer.details or "")


def test_a_plain_401_says_bearer_as_postgrest_does() -> None:
    answer = _answer("42501", "permission denied for function send_message", None, role="anon")
    assert (answer.status, answer.headers) == (401, {"WWW-Authenticate": "Bearer"})
