"""Deleting an account leaves no personal data behind (and other people's data intact); exporting
one gives back every row we hold about the user."""

from __future__ import annotations

import psycopg
import pytest

from tests.support.api import Api, handle_of, make_dj, make_session
from tests.support.gotrue import AuthUser, as_role, create_user
from tests.support.postgrest import PostgrestError
from tests.support.rooms import LiveRoom

#: Where a deleted user's bare id may stay, and why (docs/auth.md, "Account deletion").
RETAINED = {
    "public.moderation_log": "hash-chained safety record; the id no longer leads to a profile, phone or handle",
    "private.account_deletions": "the erasure record itself (id and dates only)",
}


def busy_user(api: Api, db: psycopg.Connection) -> tuple[AuthUser, LiveRoom, LiveRoom]:
    """A user who did a bit of everything: hosts a room, listens in another, chats, mentions and is
    mentioned, requests and votes, follows, blocks, keeps a playlist, holds a subscription."""
    user = make_dj(db, phone="15550009876")
    db.execute("update public.profiles set handle = 'zed_to_delete' where id = %s", (user.id,))
    own = LiveRoom(api, user, make_session(api, user))
    other_dj = make_dj(db)
    room = LiveRoom(api, other_dj, make_session(api, other_dj))
    friend = room.member()
    api(user, "join_session", p_session_id=room.id)
    room.say(user, f"hi @{handle_of(db, friend)}")
    room.say(friend, "welcome @zed_to_delete")
    own.say(user, "my own room")
    item = room.request(user, "t-zed")["item"]
    other = room.request(friend, "t-friend")["item"]
    api(user, "cast_vote", p_item_id=other["id"], p_value=1)
    room.control("play", item["id"])
    api(user, "snag", p_session_id=room.id)  # a playlist with the track in it
    room.control("advance")  # their request is now in the play log
    api(user, "follow", p_user_id=friend.id)
    api(friend, "follow", p_user_id=user.id)
    api(user, "block_user", p_user_id=create_user(db).id)
    db.execute(
        "insert into public.entitlements (user_id, entitlement, source) values (%s, 'premium', 'revenuecat')",
        (user.id,),
    )
    return user, own, room


def test_deletion_takes_effect_at_once_and_is_idempotent(db: psycopg.Connection, api: Api) -> None:
    user, own, _room = busy_user(api, db)
    first = api(user, "delete_my_account")
    assert first["status"] == "scheduled"
    assert api(user, "delete_my_account") == first
    profile = db.execute(
        "select handle, display_name, is_dj, bio from public.profiles where id = %s", (user.id,)
    ).fetchone()
    assert profile is not None
    assert (profile[1], profile[2], profile[3]) == ("Deleted user", False, "")
    assert profile[0].startswith("deleted_")
    assert db.execute("select status from public.dj_sessions where id = %s", (own.id,)).fetchone() == (
        "ended",
    )
    for table, column in [("follows", "follower_id"), ("follows", "followee_id"), ("blocks", "blocker_id"),
                          ("session_members", "user_id"), ("queue_votes", "user_id"), ("entitlements", "user_id")]:  # fmt: skip
        assert db.execute(
            f"select count(*) from public.{table} where {column} = %s", (user.id,)
        ).fetchone() == (0,), table
    # Tallies follow the votes that went (the request's own up vote was the requester's).
    tallies = db.execute(
        "select count(*) from public.queue_items q where q.upvotes <> (select count(*) from public.queue_votes v"
        " where v.item_id = q.id and v.value = 1)"
    ).fetchone()
    assert tallies == (0,)


def test_the_anon_key_cannot_delete_or_export(api: Api) -> None:
    for function in ("delete_my_account", "export_my_data"):
        with pytest.raises(PostgrestError) as caught:
            api(None, function)
        assert (caught.value.code, caught.value.status) == ("42501", 401)


def scan(db: psycopg.Connection, needles: list[str]) -> dict[str, int]:
    """Rows of every table (ours and Supabase Auth's) whose text contains any needle."""
    tables = db.execute(
        """
        select format('%I.%I', n.nspname, c.relname) from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname in ('public', 'private', 'hidden', 'auth', 'storage') and c.relkind = 'r'
        """
    ).fetchall()
    found = {}
    for (table,) in tables:
        row = db.execute(
            f"select count(*) from {table} as t where t::text ~* %s",
            ("|".join(needles),),
        ).fetchone()
        if row and row[0]:
            found[table] = row[0]
    return found


def test_after_the_service_completes_it_no_personal_data_remains(db: psycopg.Connection, api: Api) -> None:
    user, _, room = busy_user(api, db)
    needles = [str(user.id), "15550009876", "zed_to_delete"]
    assert set(scan(db, needles)) > {"public.profiles", "public.chat_messages", "auth.users"}
    others_before = db.execute(
        "select count(*) from public.chat_messages where author_id is distinct from %s", (user.id,)
    ).fetchone()
    api(user, "delete_my_account")
    with as_role(db, "postgres"):  # the service's role
        assert db.execute("select private.process_account_deletions()").fetchone() == (1,)
        assert db.execute("select private.process_account_deletions()").fetchone() == (0,)
    leftovers = {t: n for t, n in scan(db, needles).items() if t not in RETAINED}
    assert leftovers == {}
    # Other people's data stays: their messages (the mention scrubbed), the other DJ's room.
    assert (
        db.execute("select count(*) from public.chat_messages where author_id is not null").fetchone()
        == others_before
    )
    assert db.execute("select body from public.chat_messages where body like 'welcome%%'").fetchone() == (
        "welcome @deleted",
    )
    assert db.execute("select status from public.dj_sessions where id = %s", (room.id,)).fetchone() == (
        "live",
    )
    kept = db.execute("select count(*) from public.chat_messages where author_id is null").fetchone()
    assert kept == (1,), "what they said in others' rooms stays, as a deleted user's"


def user_columns(db: psycopg.Connection) -> set[tuple[str, str]]:
    """(table, column) pairs that point at a user: foreign keys to profiles or auth.users, and the
    known unconstrained ones."""
    rows = db.execute(
        """
        select format('%I.%I', n.nspname, (select relname from pg_class where oid = c.conrelid)), a.attname
        from pg_constraint c
        join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any (c.conkey)
        join pg_namespace n on n.oid = (select relnamespace from pg_class where oid = c.conrelid)
        where c.contype = 'f' and c.confrelid in ('public.profiles'::regclass, 'auth.users'::regclass)
          and n.nspname in ('public', 'private')
        """
    ).fetchall()
    return {(t, c) for t, c in rows} | {
        ("public.moderation_log", "actor_id"), ("public.session_plays", "requested_by"),
        ("private.sms_sends", "user_id"),
    }  # fmt: skip


#: Where each user column's rows are in the export, or why they are not.
EXPORTED = {
    ("public.profiles", "id"): "profile", ("private.staff", "user_id"): "staff_role",
    ("public.entitlements", "user_id"): "entitlements", ("public.follows", "follower_id"): "following",
    ("public.follows", "followee_id"): "followers", ("public.blocks", "blocker_id"): "blocking",
    ("public.dj_sessions", "dj_id"): "sessions_hosted", ("public.session_members", "user_id"): "memberships",
    ("public.dj_sessions", "announced_by"): "announcements",
    ("public.dj_moderators", "user_id"): "moderating_for", ("public.dj_moderators", "dj_id"): "my_moderators",
    ("public.chat_messages", "author_id"): "chat_messages", ("public.queue_items", "requested_by"): "requests",
    ("public.queue_votes", "user_id"): "votes", ("public.skip_votes", "user_id"): "skip_votes",
    ("public.session_plays", "requested_by"): "plays_requested", ("public.playlists", "owner_id"): "playlists",
    ("public.notifications", "user_id"): "notifications", ("public.dj_bans", "user_id"): "bans_received",
    ("public.dj_bans", "dj_id"): "bans_issued", ("public.dj_blocked_terms", "dj_id"): "blocked_terms",
    ("public.reports", "reporter_id"): "reports_filed", ("public.moderation_log", "actor_id"): "moderation_actions_taken",
    ("private.sms_sends", "user_id"): "sms_sent",
    ("public.tips", "tipper_id"): "tips_given", ("public.tips", "dj_id"): "tips_received",
    ("public.payout_accounts", "dj_id"): "payout_account",
    ("public.push_devices", "user_id"): "push_devices", ("public.audio_assets", "dj_id"): "audio_assets", ("public.push_preferences", "user_id"): "push_preferences",
}  # fmt: skip
#: User columns deliberately not exported: other people's data about this user, or operational state.
NOT_EXPORTED = {
    ("public.blocks", "blocked_id"): "who blocked you is their data",
    ("public.reports", "target_user_id"): "who reported you is their data",
    ("public.reports", "handled_by"): "staff identity",
    ("public.dj_bans", "moderator_id"): "moderator identity", ("public.dj_bans", "revoked_by"): "moderator identity",
    ("public.dj_moderators", "appointed_by"): "the DJ's data", ("public.chat_messages", "deleted_by"): "moderator identity",
    ("public.queue_items", "decided_by"): "moderator identity", ("public.notifications", "actor_id"): "in your feed already",
    ("public.dj_blocked_terms", "created_by"): "moderator identity", ("private.rate_buckets", "user_id"): "anti-abuse counters",
    ("private.platform_bans", "user_id"): "staff's suspension record (the suspension itself shows at sign-in)",
}  # fmt: skip


def test_the_export_covers_every_table_that_points_at_a_user(db: psycopg.Connection, api: Api) -> None:
    unaccounted = user_columns(db) - EXPORTED.keys() - NOT_EXPORTED.keys()
    assert unaccounted == set(), "a new user column must be exported or listed in NOT_EXPORTED with a reason"
    user, _, _ = busy_user(api, db)
    export = api(user, "export_my_data")
    assert export["account"]["phone"] == "15550009876"
    for (table, column), key in EXPORTED.items():
        (expected,) = db.execute(f"select count(*) from {table} where {column} = %s", (user.id,)).fetchone()  # type: ignore[misc]
        got = export[key]
        count = 0 if got is None else 1 if isinstance(got, dict | str) else len(got)
        assert count == expected, f"{key}: {count} exported, {expected} in {table}.{column}"


@pytest.mark.parametrize("who", ["anonymous", "phone"])
def test_anyone_signed_in_can_export(db: psycopg.Connection, api: Api, who: str) -> None:
    user = create_user(db, who)  # type: ignore[arg-type]
    export = api(user, "export_my_data")
    assert export["format"] == "whatssound-export/1"
    assert export["profile"]["id"] == str(user.id)
