"""What a guest (anonymous sign-in) may do, enforced in the database (issue 17 §5, docs/auth.md).

Each refusal is checked the ways the app could try it (the RPC, and a direct table or Storage
write where RLS would let a member do it): the guest gets ANONY and nothing is written, while a
full account still may. Settings `anonymous_may_<action>` let an operator change each rule.
"""

from __future__ import annotations

import json
import uuid

import psycopg
import pytest

from tests.media.test_storage_policies import refused as storage_refuses
from tests.support.api import Api, raises_code
from tests.support.gotrue import AuthUser, as_role, create_user
from tests.support.postgrest import PostgrestError, as_user


def _direct(db: psycopg.Connection, who: AuthUser, statement: str, *args: object) -> int:
    """A direct table write through PostgREST (supabase.from(...)); its row count, or the error
    supabase-js would see."""
    try:
        with as_user(db, who) as conn:
            return conn.execute(statement, args).rowcount  # type: ignore[arg-type]
    except psycopg.Error as exc:
        raise PostgrestError(exc, "authenticated") from exc


def _count(db: psycopg.Connection, query: str, *args: object) -> int:
    row = db.execute(query, args).fetchone()  # type: ignore[arg-type]
    assert row is not None
    return int(row[0])


def _allow(db: psycopg.Connection, action: str, allowed: bool) -> None:
    db.execute(
        "update private.settings set value = %s::jsonb where key = %s",
        (json.dumps(allowed), f"anonymous_may_{action}"),
    )


def _token() -> str:
    return f"ExponentPushToken[{uuid.uuid4().hex}]"


@pytest.fixture
def guest(db: psycopg.Connection) -> AuthUser:
    return create_user(db, "anonymous")


# --- follow: no ---------------------------------------------------------------------------------


def test_a_guest_cannot_follow_by_rpc_or_directly(db: psycopg.Connection, api: Api, guest: AuthUser) -> None:
    dj, member = create_user(db), create_user(db)
    with raises_code("ANONY") as caught:
        api(guest, "follow", p_user_id=str(dj.id))
    assert "follow" in (caught.value.hint or "")
    with raises_code("ANONY"):
        _direct(
            db,
            guest,
            "insert into public.follows (follower_id, followee_id) values (%s, %s)",
            guest.id,
            dj.id,
        )
    assert _count(db, "select count(*) from public.follows where follower_id = %s", guest.id) == 0
    assert _count(db, "select follower_count from public.profiles where id = %s", dj.id) == 0
    assert _count(db, "select count(*) from public.notifications where user_id = %s", dj.id) == 0
    api(member, "follow", p_user_id=str(dj.id))
    assert _count(db, "select follower_count from public.profiles where id = %s", dj.id) == 1


def test_an_operator_can_let_guests_follow(db: psycopg.Connection, api: Api, guest: AuthUser) -> None:
    dj = create_user(db)
    _allow(db, "follow", True)
    assert api(guest, "follow", p_user_id=str(dj.id))["follower_id"] == str(guest.id)


# --- block: yes ---------------------------------------------------------------------------------


def test_a_guest_can_block_and_unblock(db: psycopg.Connection, api: Api, guest: AuthUser) -> None:
    troll = create_user(db)
    assert api(guest, "block_user", p_user_id=str(troll.id))["blocked_id"] == str(troll.id)
    assert api(guest, "unblock_user", p_user_id=str(troll.id)) is True
    assert _direct(db, guest, "insert into public.blocks (blocker_id, blocked_id) values (%s, %s)",
                   guest.id, troll.id) == 1  # fmt: skip


# --- push devices: no ---------------------------------------------------------------------------


def test_a_guest_cannot_register_a_push_device(db: psycopg.Connection, api: Api, guest: AuthUser) -> None:
    member = create_user(db)
    token = _token()
    with raises_code("ANONY"):
        api(guest, "register_push_device", p_token=_token(), p_platform="ios")
    assert _count(db, "select count(*) from public.push_devices where user_id = %s", guest.id) == 0
    api(member, "register_push_device", p_token=token, p_platform="ios")
    with raises_code("ANONY"):  # the phone's token does not move to a guest signed in on it
        api(guest, "register_push_device", p_token=token, p_platform="ios")
    assert _count(db, "select count(*) from public.push_devices where token = %s and user_id = %s and active",
                  token, member.id) == 1  # fmt: skip


def test_a_guest_cannot_reactivate_an_old_device_but_can_sign_out(
    db: psycopg.Connection, api: Api, guest: AuthUser
) -> None:
    old, live = _token(), _token()  # from before guests were refused push
    db.execute(
        "insert into public.push_devices (user_id, token, platform, active) values (%s, %s, 'ios', false),"
        " (%s, %s, 'android', true)",
        (guest.id, old, guest.id, live),
    )
    with raises_code("ANONY"):
        _direct(db, guest, "update public.push_devices set active = true where token = %s", old)
    assert _count(db, "select count(*) from public.push_devices where token = %s and active", old) == 0
    assert api(guest, "unregister_push_device", p_token=live) is True


# --- profile: no renaming, no avatar --------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        "display_name = 'DJ Nova'",  # impersonation
        "handle = 'dj_nova_official'",
        "bio = 'free followers at spam.example'",
        "avatar_url = 'https://spam.example/a.png'",
    ],
)
def test_a_guest_keeps_the_generated_profile(db: psycopg.Connection, guest: AuthUser, change: str) -> None:
    member = create_user(db)
    before = db.execute("select p from public.profiles as p where id = %s", (guest.id,)).fetchone()
    with raises_code("ANONY"):
        _direct(db, guest, f"update public.profiles set {change} where id = %s", guest.id)
    assert db.execute("select p from public.profiles as p where id = %s", (guest.id,)).fetchone() == before
    assert _direct(db, member, f"update public.profiles set {change} where id = %s", member.id) == 1


def test_a_guest_may_rewrite_its_profile_unchanged(db: psycopg.Connection, guest: AuthUser) -> None:
    """PostgREST PATCHes every field the app sends: resending the same values is not a rename."""
    assert _direct(
        db, guest, "update public.profiles set handle = handle, display_name = display_name, bio = bio,"
        " avatar_url = avatar_url where id = %s", guest.id,
    ) == 1  # fmt: skip


def test_guest_sign_up_metadata_does_not_name_the_profile(db: psycopg.Connection) -> None:
    guest = create_user(
        db,
        "anonymous",
        user_metadata={"display_name": "WhatsSound Staff", "avatar_url": "https://x.example/a.png"},
    )
    handle, name, avatar = db.execute(
        "select handle, display_name, avatar_url from public.profiles where id = %s", (guest.id,)
    ).fetchone() or (None, None, None)
    assert (name, avatar) == (handle, None)
    member = create_user(
        db, "google", user_metadata={"full_name": "Nova", "avatar_url": "https://x.example/a.png"}
    )
    assert db.execute("select display_name, avatar_url from public.profiles where id = %s",
                      (member.id,)).fetchone() == ("Nova", "https://x.example/a.png")  # fmt: skip


@pytest.mark.parametrize("bucket", ["avatars", "covers"])
def test_a_guest_uploads_and_replaces_no_images(db: psycopg.Connection, guest: AuthUser, bucket: str) -> None:
    member = create_user(db)
    assert storage_refuses(db, guest, bucket, f"{guest.id}/me.png")
    assert not storage_refuses(db, member, bucket, f"{member.id}/me.png")
    db.execute(  # one uploaded before these rules
        "insert into storage.objects (bucket_id, name, owner_id, metadata) values (%s, %s, %s, '{}')",
        (bucket, f"{guest.id}/old.png", str(guest.id)),
    )
    replace = "update storage.objects set metadata = '{\"v\": 2}' where bucket_id = %s and name like %s"
    with as_user(db, guest, pre_request=False) as conn:
        assert conn.execute(replace, (bucket, f"{guest.id}/%")).rowcount == 0
    with as_user(db, member, pre_request=False) as conn:
        assert conn.execute(replace, (bucket, f"{member.id}/%")).rowcount == 1
    with as_user(db, guest, pre_request=False) as conn:  # and may still remove it, as the Storage API does
        conn.execute("select set_config('storage.allow_delete_query', 'true', true)")
        assert (
            conn.execute("delete from storage.objects where name = %s", (f"{guest.id}/old.png",)).rowcount
            == 1
        )


def test_an_operator_can_let_guests_upload_images(db: psycopg.Connection, guest: AuthUser) -> None:
    _allow(db, "upload_images", True)
    assert not storage_refuses(db, guest, "avatars", f"{guest.id}/me.png")


# --- reports: yes, one an hour ------------------------------------------------------------------


def test_a_guest_reports_once_an_hour(db: psycopg.Connection, api: Api, guest: AuthUser) -> None:
    def report(who: AuthUser, target: AuthUser) -> str:
        return str(
            api(who, "report_content", p_target_kind="user", p_target_id=str(target.id), p_reason="spam")
        )

    first = create_user(db)
    report_id = report(guest, first)
    assert report(guest, first) == report_id, "still idempotent"
    with raises_code("RATEL") as caught:
        report(guest, create_user(db))
    assert 3000 < json.loads(caught.value.details or "{}")["retry_after_seconds"] <= 3600
    assert _count(db, "select count(*) from public.reports where reporter_id = %s", guest.id) == 1
    member = create_user(db)
    for _ in range(3):
        report(member, create_user(db))


def test_an_operator_can_stop_guests_reporting(db: psycopg.Connection, api: Api, guest: AuthUser) -> None:
    _allow(db, "report", False)
    with raises_code("ANONY"):
        api(
            guest,
            "report_content",
            p_target_kind="user",
            p_target_id=str(create_user(db).id),
            p_reason="spam",
        )
    assert _count(db, "select count(*) from public.reports where reporter_id = %s", guest.id) == 0


# --- becoming a member, leaving -----------------------------------------------------------------


def test_a_guest_who_signs_in_may_do_it_all_at_once(
    db: psycopg.Connection, api: Api, guest: AuthUser
) -> None:
    dj = create_user(db)
    with as_role(db, "supabase_auth_admin"):  # verifyOtp after updateUser({ phone }): no longer anonymous
        db.execute(
            "update auth.users set phone = '15550004444', is_anonymous = false where id = %s", (guest.id,)
        )
    stale = guest.identity()  # the token still says is_anonymous until it is refreshed: auth.users decides
    assert stale.claims is not None
    assert stale.claims["is_anonymous"] is True
    api(stale, "follow", p_user_id=str(dj.id))
    api(stale, "register_push_device", p_token=_token(), p_platform="android")
    assert _direct(db, guest, "update public.profiles set display_name = 'Nova' where id = %s", guest.id) == 1


def test_a_guest_can_delete_its_account(db: psycopg.Connection, api: Api, guest: AuthUser) -> None:
    assert api(guest, "delete_my_account")["status"] == "scheduled"
    assert db.execute("select display_name from public.profiles where id = %s", (guest.id,)).fetchone() == (
        "Deleted user",
    )


def test_every_rule_has_its_setting(db: psycopg.Connection) -> None:
    actions = {
        row[0]
        for row in db.execute(
            "select distinct (regexp_match(pg_get_triggerdef(t.oid), 'tg__guest_rule\\(''([a-z_]+)'''))[1]"
            " from pg_trigger as t where not t.tgisinternal and t.tgfoid = 'private.tg__guest_rule'::regproc"
        ).fetchall()
    }
    assert actions == {"follow", "register_push", "edit_profile", "upload_images", "report"}
    settings = {
        row[0]
        for row in db.execute("select key from private.settings where key like 'anonymous_may_%'").fetchall()
    }
    assert {f"anonymous_may_{a}" for a in actions} <= settings
