"""Create users the way Supabase Auth (GoTrue) does, and the JWT claims it would issue them.

GoTrue connects as ``supabase_auth_admin`` and writes ``auth.users`` plus one
``auth.identities`` row per provider; triggers on ``auth.users`` therefore run as that role,
which is what our profile trigger must cope with. Claims follow GoTrue's ``AccessTokenClaims``.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import psycopg
from psycopg import sql

from whatssound_svc.local.gotrue import ISSUER, access_token_claims
from whatssound_svc.local.postgrest import Identity

__all__ = ["ISSUER", "AuthUser", "as_role", "create_user"]

Kind = Literal["phone", "apple", "google", "anonymous"]
_serial = itertools.count(1)


@contextlib.contextmanager
def as_role(conn: psycopg.Connection, role: str) -> Iterator[psycopg.Connection]:
    """Run statements as ``role`` inside the current (test) transaction, then switch back."""
    previous = conn.execute("select current_user").fetchone()[0]  # type: ignore[index]
    with conn.transaction():  # a savepoint: on error its rollback restores the role
        conn.execute(sql.SQL("set local role {}").format(sql.Identifier(role)))
        yield conn
        conn.execute(sql.SQL("set local role {}").format(sql.Identifier(previous)))


@dataclass(frozen=True)
class AuthUser:
    """A user as Supabase Auth stores it."""

    id: uuid.UUID
    kind: Kind
    phone: str | None = None
    email: str | None = None
    user_metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def is_anonymous(self) -> bool:
        """Anonymous sign-ins are still role `authenticated`, flagged `is_anonymous`."""
        return self.kind == "anonymous"

    def claims(self, **overrides: Any) -> dict[str, Any]:
        """The access token's claims as GoTrue issues them after sign-in."""
        provider = self.kind
        claims = access_token_claims(
            self.id, self.email, self.phone, {"provider": provider, "providers": [provider]},
            self.user_metadata, self.is_anonymous,
        )  # fmt: skip
        claims.update(overrides)
        return claims

    def identity(self, **overrides: Any) -> Identity:
        """This user's requests: role `authenticated` with their claims."""
        claims = self.claims(**overrides)
        return Identity(role=claims["role"], claims=claims)


def create_user(
    conn: psycopg.Connection,
    kind: Kind = "phone",
    *,
    phone: str | None = None,
    email: str | None = None,
    user_metadata: dict[str, Any] | None = None,
) -> AuthUser:
    """Sign a new user up as GoTrue would (as ``supabase_auth_admin``); unique by default."""
    n = next(_serial)
    user_id = uuid.uuid4()
    if kind == "phone":
        phone = phone or f"1555{user_id.int % 10**7:07d}"
    elif kind in ("apple", "google"):
        email = email or f"user{n}.{user_id.hex[:6]}@{kind}.example"
    metadata = dict(user_metadata or {})
    if kind in ("apple", "google"):
        metadata.setdefault("full_name", f"Test User {n}")
        metadata.setdefault("email", email)
    provider = "anonymous" if kind == "anonymous" else kind
    app_metadata = {} if kind == "anonymous" else {"provider": provider, "providers": [provider]}
    with as_role(conn, "supabase_auth_admin"):
        conn.execute(
            """
            insert into auth.users (instance_id, id, aud, role, email, phone, email_confirmed_at,
              phone_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
              last_sign_in_at, is_anonymous)
            values ('00000000-0000-0000-0000-000000000000', %(id)s, 'authenticated',
              'authenticated', %(email)s::varchar, %(phone)s::text,
              case when %(email)s::varchar is not null then now() end,
              case when %(phone)s::text is not null then now() end,
              %(app)s, %(meta)s, now(), now(), now(), %(anon)s)
            """,
            {
                "id": user_id,
                "email": email,
                "phone": phone,
                "app": json.dumps(app_metadata),
                "meta": json.dumps(metadata),
                "anon": kind == "anonymous",
            },
        )
        if kind != "anonymous":
            identity_data = {"sub": str(user_id), "email_verified": email is not None}
            if phone:
                identity_data.update(phone=phone, phone_verified=True)
            if email:
                identity_data.update(email=email)
            conn.execute(
                "insert into auth.identities (provider_id, user_id, identity_data, provider,"
                " created_at, updated_at, last_sign_in_at) values (%s, %s, %s, %s, now(), now(), now())",
                (
                    str(user_id) if kind == "phone" else f"{kind}-{user_id.hex}",
                    user_id,
                    json.dumps(identity_data),
                    provider,
                ),
            )
    return AuthUser(id=user_id, kind=kind, phone=phone, email=email, user_metadata=metadata)
