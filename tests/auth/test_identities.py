"""One person, one profile: changing the phone number, linking Apple/Google to a phone account and
turning a guest into a full account all keep the same auth user, so the same profile and data."""

from __future__ import annotations

import json

import psycopg

from tests.support.api import Api, make_dj, make_session
from tests.support.gotrue import as_role, create_user


def profiles_of(db: psycopg.Connection, user_id: object) -> list[tuple[str, str]]:
    return db.execute("select id::text, handle from public.profiles where id = %s", (user_id,)).fetchall()


def test_changing_the_phone_number_keeps_the_profile(db: psycopg.Connection) -> None:
    user = create_user(db, phone="15550001111")
    before = profiles_of(db, user.id)
    with as_role(db, "supabase_auth_admin"):  # GoTrue, after verifying a phone_change OTP
        db.execute("update auth.users set phone = '15550002222', phone_change = '' where id = %s", (user.id,))
        db.execute(
            'update auth.identities set identity_data = identity_data || \'{"phone": "15550002222"}\''
            " where user_id = %s and provider = 'phone'",
            (user.id,),
        )
    assert profiles_of(db, user.id) == before
    assert (
        db.execute("select count(*) from public.profiles").fetchone()
        == db.execute("select count(*) from auth.users").fetchone()
    )


def test_linking_apple_to_a_phone_account_keeps_one_profile(db: psycopg.Connection, api: Api) -> None:
    dj = make_dj(db)
    session = make_session(api, dj)
    users_before = db.execute("select count(*) from public.profiles").fetchone()
    with as_role(db, "supabase_auth_admin"):  # GoTrue's linkIdentity: a second identity, same user
        db.execute(
            "insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)"
            " values (%s, %s, %s, 'apple', now(), now())",
            (
                f"apple-{dj.id.hex}",
                dj.id,
                json.dumps({"sub": f"apple-{dj.id.hex}", "email": "dj@privaterelay.example"}),
            ),
        )
        db.execute(
            'update auth.users set raw_app_meta_data = raw_app_meta_data || \'{"providers": ["phone", "apple"]}\''
            " where id = %s",
            (dj.id,),
        )
    assert db.execute("select count(*) from public.profiles").fetchone() == users_before
    assert db.execute("select dj_id from public.dj_sessions where id = %s", (session["id"],)).fetchone() == (
        dj.id,
    )


def test_a_guest_who_signs_in_with_a_phone_keeps_everything(db: psycopg.Connection, api: Api) -> None:
    guest = create_user(db, "anonymous")
    dj = make_dj(db)
    api(guest, "block_user", p_user_id=dj.id)  # something a guest may do (guests follow nobody)
    with as_role(
        db, "supabase_auth_admin"
    ):  # updateUser({ phone }) then verifyOtp: the same user, no longer anonymous
        db.execute(
            "update auth.users set phone = '15550003333', phone_confirmed_at = now(), is_anonymous = false where id = %s",
            (guest.id,),
        )
    assert db.execute("select hidden.is_anonymous(%s)", (guest.id,)).fetchone() == (False,)
    assert db.execute("select count(*) from public.blocks where blocker_id = %s", (guest.id,)).fetchone() == (
        1,
    )
