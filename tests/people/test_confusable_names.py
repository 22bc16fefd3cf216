"""Look-alike names: a display name or handle confusable with another account's is refused
(UTS #39 skeletons, issue 17 §3); identical names and sign-ups still work."""

from __future__ import annotations

import json
import re

import psycopg
import pytest

from tests.support.api import answer_to, handle_of
from tests.support.gotrue import AuthUser, create_user
from tests.support.postgrest import as_user


def _rename(db: psycopg.Connection, user: AuthUser, column: str, value: str) -> None:
    with as_user(db, user):
        db.execute(f"update public.profiles set {column} = %s where id = %s", (value, user.id))


def _name(db: psycopg.Connection, user: AuthUser) -> str:
    row = db.execute("select display_name from public.profiles where id = %s", (user.id,)).fetchone()
    assert row is not None
    return str(row[0])


@pytest.fixture
def dj_lia(db: psycopg.Connection) -> AuthUser:
    dj = create_user(db, "google", user_metadata={"handle": "dj_lia", "full_name": "DJ Lia"})
    db.execute("update public.profiles set is_dj = true where id = %s", (dj.id,))
    assert (handle_of(db, dj), _name(db, dj)) == ("dj_lia", "DJ Lia")
    return dj


@pytest.mark.parametrize(
    "name",
    [
        "DJ L\u0456a",  # Cyrillic i (U+0456)
        "DJ Li\u0430",  # Cyrillic a (U+0430)
        "DJ Lia\u200d",  # a zero-width joiner (allowed by the text policy, ignored by skeletons)
        "DJ \u216cia",  # roman numeral fifty for L
        "DJ Lia\ufe0f",  # a stray variation selector
        "dj_1ia",  # the DJ's handle, with 1 for l
    ],
)
def test_a_name_confusable_with_another_accounts_is_refused(
    db: psycopg.Connection, dj_lia: AuthUser, name: str
) -> None:
    impostor = create_user(db)
    before = _name(db, impostor)
    with pytest.raises(psycopg.Error) as caught:
        _rename(db, impostor, "display_name", name)
    answer = answer_to(caught.value)
    assert (answer.code, answer.status) == ("ALIKE", 409)
    assert json.loads(answer.details or "{}") == {"column": "display_name"}
    assert answer.hint
    assert _name(db, impostor) == before


def test_the_issues_zero_width_space_impersonation_is_refused(
    db: psycopg.Connection, dj_lia: AuthUser
) -> None:
    impostor = create_user(db)
    with pytest.raises(psycopg.Error) as caught:
        _rename(db, impostor, "display_name", "DJ Lia\u200b")
    assert answer_to(caught.value).code == "BADCH"  # the text policy refuses U+200B before names are compared


def test_identical_and_merely_similar_names_are_allowed(db: psycopg.Connection, dj_lia: AuthUser) -> None:
    maria, other_maria, shouting, accented = (create_user(db) for _ in range(4))
    _rename(db, maria, "display_name", "Maria")
    _rename(db, other_maria, "display_name", "Maria")  # two Marias are normal
    _rename(db, shouting, "display_name", "DJ LIA")  # skeletons are case-sensitive
    _rename(db, accented, "display_name", "DJ L\u00eda")  # a real accent is a different name
    assert [_name(db, u) for u in (maria, other_maria, shouting, accented)] == [
        "Maria",
        "Maria",
        "DJ LIA",
        "DJ Lía",
    ]
    _rename(db, dj_lia, "display_name", "DJ Lia")  # your own name, unchanged, still passes


def test_a_handle_confusable_with_another_handle_is_refused(db: psycopg.Connection, dj_lia: AuthUser) -> None:
    mia = create_user(db, "google", user_metadata={"handle": "dj_mia"})
    impostor = create_user(db)
    for handle in ("dj_1ia", "dj_rnia"):
        with pytest.raises(psycopg.Error) as caught:
            _rename(db, impostor, "handle", handle)
        answer = answer_to(caught.value)
        assert (answer.code, json.loads(answer.details or "{}")) == ("ALIKE", {"column": "handle"})
    assert handle_of(db, impostor).startswith("user_")
    _rename(db, impostor, "handle", "dj_lia_fan")
    assert handle_of(db, mia) == "dj_mia"


def test_skeletons_follow_the_names(db: psycopg.Connection, dj_lia: AuthUser) -> None:
    row = db.execute(
        "select display_name_skeleton, handle_skeleton from public.profiles where id = %s", (dj_lia.id,)
    ).fetchone()
    assert row == ("DJ Lia", "dj_lia")
    assert db.execute("select private.skeleton('DJ L\u0456a\u200d'), private.skeleton('rn')").fetchone() == (
        "DJ Lia",
        "rn",
    )


def test_sign_up_never_fails_because_of_a_name(db: psycopg.Connection, dj_lia: AuthUser) -> None:
    lookalike = create_user(db, "google", user_metadata={"full_name": "DJ L\u0456a", "handle": "dj_1ia"})
    handle = handle_of(db, lookalike)
    assert re.fullmatch(r"user_\d{6}", handle), "a look-alike handle hint gets a generated handle"
    assert _name(db, lookalike) == handle, "a look-alike display name falls back to the handle"
    hostile = create_user(db, "apple", user_metadata={"full_name": "\u202eNova\u200b Jones\x07"})
    assert _name(db, hostile) == "Nova Jones", "what the policy would refuse is stripped at sign-up"
    blank = create_user(db, "google", user_metadata={"full_name": "\u200b\u2066"})
    assert _name(db, blank) == handle_of(db, blank)


def test_account_deletion_scrubs_even_next_to_a_lookalike(db: psycopg.Connection) -> None:
    troll, leaving = create_user(db), create_user(db)
    _rename(db, troll, "display_name", "DeIeted user")  # capital I for l: the skeleton of "Deleted user"
    with as_user(db, leaving):
        db.execute("select public.delete_my_account()")
    assert _name(db, leaving) == "Deleted user"
