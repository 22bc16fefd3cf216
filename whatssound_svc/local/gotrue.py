"""The access token Supabase Auth (GoTrue) would issue a user, so a request can act as them.

GoTrue builds ``AccessTokenClaims`` from the ``auth.users`` row (``internal/tokens/service.go``;
../shared/reference/supabase.md §3.4), then calls our custom access token hook
(``[auth.hook.custom_access_token]``: ``public.custom_access_token_hook``, sql/auth/) with
``{user_id, claims, authentication_method}`` in a transaction with a 2 s statement timeout, and
signs the claims it returns. :func:`identity_for` does the same for a user named by handle,
phone number or id (or ``anon`` / ``service_role``, the two API keys), so a request made with
:mod:`whatssound_svc.local.postgrest` sees what the app's would.
"""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from whatssound_svc.local.postgrest import Identity

#: Where GoTrue says tokens come from (the local API URL of config.toml).
ISSUER = "http://127.0.0.1:54321/auth/v1"
#: A phone number as people type it: digits, optionally with +, spaces, dashes, dots, brackets.
_PHONE = re.compile(r"\+?[\d\s().-]{6,24}")


def sign_in_method(provider: str) -> str:
    """The ``amr`` method (and the hook's ``authentication_method``) of a sign-in with ``provider``."""
    return {"phone": "otp", "anonymous": "anonymous"}.get(provider, "oauth")


def access_token_claims(  # noqa: PLR0917 (GoTrue's claim set, one parameter per source field)
    user_id: uuid.UUID,
    email: str | None,
    phone: str | None,
    app_metadata: dict[str, Any],
    user_metadata: dict[str, Any],
    is_anonymous: bool,
    *,
    role: str = "authenticated",
    audience: str = "authenticated",
) -> dict[str, Any]:
    """The claims GoTrue puts in an access token just after sign-in (before the hook)."""
    now = int(time.time())
    provider = "anonymous" if is_anonymous else str(app_metadata.get("provider", "phone"))
    return {
        "iss": ISSUER,
        "sub": str(user_id),
        "aud": audience,
        "exp": now + 3600,
        "iat": now,
        "email": email or "",
        "phone": phone or "",
        "app_metadata": app_metadata,
        "user_metadata": user_metadata,
        "role": role,
        "aal": "aal1",
        "amr": [{"method": sign_in_method(provider), "timestamp": now}],
        "session_id": str(uuid.uuid4()),
        "is_anonymous": is_anonymous,
    }


#: The auth.users row of a user named by id, phone number (digits) or handle, in that preference.
_USER = """
select u.id, u.email, u.phone, coalesce(u.raw_app_meta_data, '{}'), coalesce(u.raw_user_meta_data, '{}'),
       coalesce(u.is_anonymous, false), coalesce(nullif(u.role, ''), 'authenticated'),
       coalesce(nullif(u.aud, ''), 'authenticated')
from auth.users as u
left join public.profiles as p on p.id = u.id
where u.id = %(id)s or u.phone = %(phone)s or p.handle = %(handle)s
order by (u.id = %(id)s) desc nulls last, (u.phone = %(phone)s) desc nulls last
limit 1
"""


def _user_row(conn: psycopg.Connection, who: str) -> tuple[Any, ...] | None:
    try:
        user_id: uuid.UUID | None = uuid.UUID(who)
    except ValueError:
        user_id = None
    # auth.users keeps phone numbers as digits, without the +
    phone = re.sub(r"\D", "", who) if _PHONE.fullmatch(who) else None
    handle = who.removeprefix("@").lower()
    return conn.execute(_USER, {"id": user_id, "phone": phone, "handle": handle}).fetchone()


def run_token_hook(conn: psycopg.Connection, user_id: uuid.UUID, claims: dict[str, Any]) -> dict[str, Any]:
    """The claims ``public.custom_access_token_hook`` returns for ``claims`` (its own transaction,
    2 s statement timeout, as GoTrue calls it).

    GoTrue calls it as ``supabase_auth_admin``; this runs as the connection's role (``postgres``
    owns the function and bypasses RLS, while the policies for ``supabase_auth_admin`` let it read
    every row it reads), so it sees the same rows.
    """
    method = claims["amr"][0]["method"] if claims.get("amr") else "otp"
    event = {"user_id": str(user_id), "claims": claims, "authentication_method": method}
    with conn.transaction():
        conn.execute("select set_config('statement_timeout', '2s', true)")
        row = conn.execute('select "public"."custom_access_token_hook"(%s)', (Jsonb(event),)).fetchone()
    returned = row[0] if row else None
    if not isinstance(returned, dict) or not isinstance(returned.get("claims"), dict):
        raise ValueError(f"custom_access_token_hook returned {returned!r}: Supabase Auth would refuse it")
    issued: dict[str, Any] = returned["claims"]
    return issued


def identity_for(conn: psycopg.Connection, who: str) -> Identity:
    """Who ``who`` is to PostgREST: ``anon``, ``service_role``, or the user with that handle
    (``@`` optional), phone number or id, with the claims Supabase Auth would issue them now.

    Raises LookupError when no user matches. A suspended user still gets their claims (a token
    issued before the ban stays valid until it expires): the pre-request hook refuses them.
    """
    if who == "anon":
        return Identity.anon()
    if who == "service_role":
        return Identity.service_role()
    row = _user_row(conn, who.strip())
    if row is None:
        raise LookupError(f"no user {who!r} (a handle, a phone number, a user id, anon or service_role)")
    user_id, email, phone, app_metadata, user_metadata, is_anonymous, role, audience = row
    claims = access_token_claims(
        user_id, email, phone, app_metadata, user_metadata, is_anonymous, role=role, audience=audience
    )
    claims = run_token_hook(conn, user_id, claims)
    return Identity(role=str(claims.get("role", role)), claims=claims)
