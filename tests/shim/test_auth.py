"""Schema `auth`: Supabase Auth's tables and the claim readers RLS relies on."""

from __future__ import annotations

import json
import uuid

import psycopg
import pytest

from tests.support.gotrue import create_user
from tests.support.postgrest import Identity, as_user, request


def test_auth_users_has_supabase_columns(db: psycopg.Connection) -> None:
    columns = {
        r[0]: r[1]
        for r in db.execute(
            "select column_name, data_type from information_schema.columns"
            " where table_schema = 'auth' and table_name = 'users'"
        ).fetchall()
    }
    expected = {
        "id": "uuid", "aud": "character varying", "role": "character varying",
        "email": "character varying", "phone": "text", "phone_confirmed_at": "timestamp with time zone",
        "email_confirmed_at": "timestamp with time zone", "confirmed_at": "timestamp with time zone",
        "raw_app_meta_data": "jsonb", "raw_user_meta_data": "jsonb",
        "created_at": "timestamp with time zone", "updated_at": "timestamp with time zone",
        "last_sign_in_at": "timestamp with time zone", "banned_until": "timestamp with time zone",
        "deleted_at": "timestamp with time zone", "is_sso_user": "boolean", "is_anonymous": "boolean",
    }  # fmt: skip
    assert {k: columns.get(k) for k in expected} == expected


def test_auth_users_id_has_no_default_and_confirmed_at_is_generated(db: psycopg.Connection) -> None:
    default = db.execute(
        "select column_default from information_schema.columns"
        " where table_schema = 'auth' and table_name = 'users' and column_name = 'id'"
    ).fetchone()
    assert default == (None,)
    user = create_user(db, "phone")
    row = db.execute(
        "select confirmed_at = phone_confirmed_at from auth.users where id = %s", (user.id,)
    ).fetchone()
    assert row == (True,)


def test_phone_is_unique_and_stored_without_plus(db: psycopg.Connection) -> None:
    user = create_user(db, "phone", phone="15555559999")
    assert user.phone == "15555559999"
    with pytest.raises(psycopg.errors.UniqueViolation):
        create_user(db, "phone", phone="15555559999")


def test_auth_tables_have_rls_on_and_no_api_role_privileges(db: psycopg.Connection) -> None:
    for table in ("auth.users", "auth.identities"):
        assert db.execute(
            "select relrowsecurity from pg_class where oid = %s::regclass", (table,)
        ).fetchone() == (True,)
        for role in ("anon", "authenticated", "service_role"):
            assert db.execute("select has_table_privilege(%s, %s, 'SELECT')", (role, table)).fetchone() == (
                False,
            )


def test_identities_cascade_with_their_user(db: psycopg.Connection) -> None:
    user = create_user(db, "google")
    assert db.execute(
        "select provider, email from auth.identities where user_id = %s", (user.id,)
    ).fetchone() == ("google", user.email)
    db.execute("delete from auth.users where id = %s", (user.id,))
    assert db.execute("select count(*) from auth.identities where user_id = %s", (user.id,)).fetchone() == (
        0,
    )


def test_auth_uid_reads_postgrest_claims_json(db: psycopg.Connection) -> None:
    user = create_user(db, "phone")
    with as_user(db, user):
        row = db.execute("select auth.uid(), auth.role(), auth.email(), auth.jwt() ->> 'aal'").fetchone()
    assert row == (user.id, "authenticated", "", "aal1")


def test_auth_uid_prefers_the_legacy_per_claim_setting(db: psycopg.Connection) -> None:
    legacy, current = uuid.uuid4(), uuid.uuid4()
    with db.transaction():
        db.execute("select set_config('request.jwt.claim.sub', %s, true)", (str(legacy),))
        db.execute(
            "select set_config('request.jwt.claims', %s, true)",
            (json.dumps({"sub": str(current)}),),
        )
        assert db.execute("select auth.uid()").fetchone() == (legacy,)


def test_claim_readers_return_null_for_anon_and_after_a_request(db: psycopg.Connection) -> None:
    with request(db, Identity.anon()):
        assert db.execute("select auth.uid(), auth.role()").fetchone() == (None, "anon")
    # After a transaction that set them, the GUCs read '' (not NULL): readers must cope.
    assert db.execute("select current_setting('request.jwt.claims', true)").fetchone() == ("",)
    assert db.execute("select auth.uid(), auth.jwt()").fetchone() == (None, None)


def test_anonymous_sign_ins_are_authenticated_with_is_anonymous(db: psycopg.Connection) -> None:
    user = create_user(db, "anonymous")
    with request(db, user.identity()):
        row = db.execute(
            "select current_user, (auth.jwt() ->> 'is_anonymous')::boolean, auth.uid()"
        ).fetchone()
    assert row == ("authenticated", True, user.id)
    assert db.execute("select is_anonymous from auth.users where id = %s", (user.id,)).fetchone() == (True,)


def test_as_user_without_a_user_is_an_anon_key_request(db: psycopg.Connection) -> None:
    with as_user(db):
        assert db.execute("select current_user, auth.role(), auth.uid()").fetchone() == ("anon", "anon", None)
