"""Profiles: made by Supabase Auth sign-ups, edited by their owner within the rules."""

from __future__ import annotations

import re
from collections.abc import Callable

import psycopg
import pytest

from tests.support.api import answer_to, handle_of
from tests.support.gotrue import AuthUser, as_role, create_user
from tests.support.postgrest import Identity, as_user, request


def _profile(db: psycopg.Connection, user: AuthUser) -> tuple:
    row = db.execute(
        "select handle, display_name, avatar_url, is_dj, follower_count from public.profiles where id = %s",
        (user.id,),
    ).fetchone()
    assert row is not None, "a profile must exist for every auth user"
    return row


def test_every_kind_of_sign_up_gets_a_profile(db: psycopg.Connection) -> None:
    phone = create_user(db, "phone")
    google = create_user(
        db, "google", user_metadata={"full_name": "Nova Jones", "avatar_url": "https://x.example/a.png"}
    )
    apple = create_user(db, "apple", user_metadata={"full_name": "Ünïcode Ñame"})
    guest = create_user(db, "anonymous")
    assert re.fullmatch(r"user_\d{6}", _profile(db, phone)[0])
    assert _profile(db, google)[:3] == ("nova_jones", "Nova Jones", "https://x.example/a.png")
    assert re.fullmatch(r"[a-z0-9_]{3,30}", _profile(db, apple)[0])
    assert re.fullmatch(r"guest_\d{6}", _profile(db, guest)[0])


def test_a_taken_handle_hint_gets_a_suffix(db: psycopg.Connection) -> None:
    first = create_user(db, "google", user_metadata={"handle": "dj_nova"})
    second = create_user(db, "google", user_metadata={"handle": "DJ_Nova"})
    assert handle_of(db, first) == "dj_nova"
    assert re.fullmatch(r"dj_nova_\d{6}", handle_of(db, second))


def test_profiles_are_public_even_to_the_anon_key(db: psycopg.Connection) -> None:
    user = create_user(db)
    with request(db, Identity.anon()):
        assert db.execute("select count(*) from public.profiles where id = %s", (user.id,)).fetchone() == (1,)


def test_users_edit_their_own_editable_columns(db: psycopg.Connection) -> None:
    user = create_user(db, "google")
    with as_user(db, user):
        db.execute(
            "update public.profiles set display_name = '  Nova  ', bio = 'house', avatar_url = 'https://a.example/x.png'"
            " where id = %s",
            (user.id,),
        )
    assert _profile(db, user)[1:3] == ("Nova", "https://a.example/x.png")


def test_users_cannot_edit_someone_elses_profile(db: psycopg.Connection) -> None:
    me, other = create_user(db), create_user(db)
    with as_user(db, me):
        changed = db.execute("update public.profiles set bio = 'hacked' where id = %s", (other.id,)).rowcount
    assert changed == 0


@pytest.mark.parametrize("column", ["is_verified", "follower_count", "handle_changed_at", "created_at"])
def test_service_only_columns_are_not_writable(db: psycopg.Connection, column: str) -> None:
    user = create_user(db)
    with pytest.raises(psycopg.errors.InsufficientPrivilege), as_user(db, user):
        db.execute(f"update public.profiles set {column} = {column} where id = %s", (user.id,))


def test_handles_are_normalised_and_validated(
    db: psycopg.Connection, make_user: Callable[..., AuthUser]
) -> None:
    user, other = make_user(), make_user()
    with as_user(db, user):
        db.execute("update public.profiles set handle = '  DJ_Lia ' where id = %s", (user.id,))
    assert handle_of(db, user) == "dj_lia"
    for bad, code in [("no", "BADHN"), ("has space", "BADHN"), ("x" * 31, "BADHN")]:
        with pytest.raises(psycopg.Error) as caught, as_user(db, other):
            db.execute("update public.profiles set handle = %s where id = %s", (bad, other.id))
        assert answer_to(caught.value).code == code
    with pytest.raises(psycopg.Error) as taken, as_user(db, other):
        db.execute("update public.profiles set handle = 'DJ_LIA' where id = %s", (other.id,))
    assert (answer_to(taken.value).code, answer_to(taken.value).status) == ("TAKEN", 409)


def test_handle_changes_have_a_cooldown(db: psycopg.Connection) -> None:
    user = create_user(db)
    with as_user(db, user):
        db.execute("update public.profiles set handle = 'first_pick' where id = %s", (user.id,))
    with pytest.raises(psycopg.Error) as cooling, as_user(db, user):
        db.execute("update public.profiles set handle = 'second_pick' where id = %s", (user.id,))
    answer = answer_to(cooling.value)
    assert (answer.code, answer.status) == ("COOLD", 429)
    assert "next_change_at" in (answer.details or "")
    assert 0 < int(answer.headers["Retry-After"]) <= 30 * 86400
    db.execute(
        "update public.profiles set handle_changed_at = now() - interval '31 days' where id = %s", (user.id,)
    )
    with as_user(db, user):
        db.execute("update public.profiles set handle = 'second_pick' where id = %s", (user.id,))
    assert handle_of(db, user) == "second_pick"


def test_guests_cannot_become_djs_but_full_accounts_can(db: psycopg.Connection) -> None:
    guest, member = create_user(db, "anonymous"), create_user(db, "phone")
    with pytest.raises(psycopg.Error) as caught, as_user(db, guest):
        db.execute("update public.profiles set is_dj = true where id = %s", (guest.id,))
    assert answer_to(caught.value).code == "ANONY"
    with as_user(db, member):
        db.execute("update public.profiles set is_dj = true where id = %s", (member.id,))
    assert _profile(db, member)[3] is True


def test_a_profile_goes_with_its_auth_user(db: psycopg.Connection) -> None:
    user = create_user(db)
    with as_role(db, "supabase_auth_admin"):
        db.execute("delete from auth.users where id = %s", (user.id,))
    assert db.execute("select count(*) from public.profiles where id = %s", (user.id,)).fetchone() == (0,)
