"""Short-hands for tests that act through the API: call RPCs, expect coded errors, build rooms."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from tests.support.gotrue import AuthUser, create_user
from tests.support.postgrest import HasIdentity, Identity, PostgrestError, rpc


class Api:
    """``api(user, "fn", arg=...)``: ``supabase.rpc("fn", {arg: ...})`` as ``user`` (or an Identity)."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn

    def __call__(self, who: HasIdentity | Identity | None, function: str, **args: Any) -> Any:
        identity = who if isinstance(who, Identity) else Identity.anon() if who is None else who.identity()
        return rpc(self.conn, identity, function, args)


@contextlib.contextmanager
def raises_code(code: str, status: int | None = None) -> Iterator[pytest.ExceptionInfo[PostgrestError]]:
    """Expect the API call inside to fail with SQLSTATE ``code`` (and HTTP ``status``, if given)."""
    with pytest.raises(PostgrestError) as caught:
        yield caught
    assert caught.value.code == code, f"expected {code}, got {caught.value.code}: {caught.value.message}"
    if status is not None:
        assert caught.value.status == status
    assert caught.value.hint, "every rejection carries a hint"


def answer_to(exc: psycopg.Error, role: str = "authenticated") -> PostgrestError:
    """What PostgREST answers when the SQL of a request (a direct table write) raised ``exc``:
    our code, message, details and hint, and the HTTP status, from a PGRST raise too."""
    return PostgrestError(exc, role)


def make_dj(conn: psycopg.Connection, **kwargs: Any) -> AuthUser:
    """A phone user who turned DJ mode on."""
    dj = create_user(conn, "phone", **kwargs)
    conn.execute("update public.profiles set is_dj = true where id = %s", (dj.id,))
    return dj


def make_session(api: Api, dj: AuthUser, *, live: bool = True, **args: Any) -> dict[str, Any]:
    """A session created through the API (live unless ``live=False``)."""
    args.setdefault("p_title", f"Session {uuid.uuid4().hex[:6]}")
    if not live:
        args.setdefault("p_scheduled_for", "2099-01-01T20:00:00Z")
    session: dict[str, Any] = api(dj, "create_session", p_start_now=live, **args)
    return session


def handle_of(conn: psycopg.Connection, user: AuthUser) -> str:
    """The user's current handle."""
    row = conn.execute("select handle from public.profiles where id = %s", (user.id,)).fetchone()
    assert row is not None
    return str(row[0])
