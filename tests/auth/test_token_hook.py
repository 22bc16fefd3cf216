"""The custom access token hook, called exactly as Supabase Auth calls it: as supabase_auth_admin,
in a transaction with a 2 s statement timeout, with {user_id, claims, authentication_method}."""

from __future__ import annotations

import json
from typing import Any

import psycopg
import pytest

from tests.support.api import make_dj
from tests.support.gotrue import AuthUser, as_role, create_user

REQUIRED = ("aud", "exp", "iat", "sub", "email", "phone", "role", "aal", "session_id", "is_anonymous")


def hook(conn: psycopg.Connection, event: Any) -> Any:
    """What Supabase Auth gets back (GoTrue: set local statement_timeout, select "public"."...""(?))."""
    with as_role(conn, "supabase_auth_admin"):
        conn.execute("set local statement_timeout = '2s'")
        row = conn.execute(
            'select "public"."custom_access_token_hook"(%s::jsonb)', (json.dumps(event),)
        ).fetchone()
    assert row is not None
    return row[0]


def event_for(user: AuthUser, method: str = "otp") -> dict[str, Any]:
    return {"user_id": str(user.id), "claims": user.claims(), "authentication_method": method}


def test_a_dj_with_a_subscription_and_a_staff_role_gets_them_in_the_token(db: psycopg.Connection) -> None:
    dj = make_dj(db)
    db.execute(
        "insert into public.entitlements (user_id, entitlement, source, expires_at) values"
        " (%s, 'premium', 'revenuecat', now() + interval '1 month'),"
        " (%s, 'early_bird', 'staff', null), (%s, 'lapsed', 'revenuecat', now() - interval '1 day')",
        (dj.id, dj.id, dj.id),
    )
    db.execute("insert into private.staff (user_id, role) values (%s, 'moderator')", (dj.id,))
    handle = db.execute("select handle from public.profiles where id = %s", (dj.id,)).fetchone()
    sent = event_for(dj)
    result = hook(db, sent)
    assert result["claims"]["whatssound"] == {
        "v": 1, "role": "moderator", "dj": True, "handle": handle[0] if handle else None,
        "entitlements": ["early_bird", "premium"],
    }  # fmt: skip
    assert {k: v for k, v in result["claims"].items() if k != "whatssound"} == sent["claims"], (
        "nothing else changes"
    )
    assert all(key in result["claims"] for key in REQUIRED)
    assert result["user_id"] == sent["user_id"]


def test_a_new_listener_gets_plain_claims(db: psycopg.Connection) -> None:
    listener = create_user(db, "anonymous")
    claim = hook(db, event_for(listener, "anonymous"))["claims"]["whatssound"]
    assert (claim["role"], claim["dj"], claim["entitlements"]) == (None, False, [])


def test_a_user_without_a_profile_still_signs_in(db: psycopg.Connection) -> None:
    ghost = create_user(db)
    db.execute("delete from public.profiles where id = %s", (ghost.id,))
    claim = hook(db, event_for(ghost))["claims"]["whatssound"]
    assert claim == {"v": 1, "role": None, "dj": False, "handle": None, "entitlements": []}


@pytest.mark.parametrize(
    "event",
    [
        {},
        {"user_id": "not-a-uuid", "claims": {"sub": "x"}},
        {"user_id": "3f6c1a2e-0000-4000-8000-000000000000", "claims": "a string"},
        {"user_id": "3f6c1a2e-0000-4000-8000-000000000000"},
        {"user_id": None, "claims": {}},
        [1, 2, 3],
    ],
)
def test_malformed_events_come_back_unchanged(db: psycopg.Connection, event: Any) -> None:
    assert hook(db, event) == event


def test_an_internal_error_never_fails_the_sign_in(db: psycopg.Connection) -> None:
    user = create_user(db)
    db.execute("revoke select on public.entitlements from supabase_auth_admin")  # rolled back with the test
    sent = event_for(user)
    assert hook(db, sent) == sent


@pytest.mark.parametrize("role", ["anon", "authenticated", "service_role"])
def test_only_supabase_auth_may_call_it(db: psycopg.Connection, role: str) -> None:
    user = create_user(db)
    with pytest.raises(psycopg.errors.InsufficientPrivilege), as_role(db, role):
        db.execute("select public.custom_access_token_hook(%s::jsonb)", (json.dumps(event_for(user)),))


def test_nothing_in_the_schema_reads_the_claim(db: psycopg.Connection) -> None:
    """Authorization asks the tables, so a token minted before a change grants nothing stale."""
    readers = db.execute(
        """
        select p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname in ('public', 'hidden', 'private') and p.prosrc ~ 'jwt' and p.prosrc ~ 'whatssound'
          and p.proname <> 'custom_access_token_hook'
        union all
        select polname from pg_policy where pg_get_expr(polqual, polrelid) ~ 'whatssound'
          or pg_get_expr(polwithcheck, polrelid) ~ 'whatssound'
        """
    ).fetchall()
    assert readers == []
