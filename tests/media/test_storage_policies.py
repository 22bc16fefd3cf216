"""Storage buckets and policies, tested as the Storage server runs requests: one transaction,
the caller's role and claims set, rows in storage.objects checked by RLS."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from tests.support.api import Api, make_dj, make_session
from tests.support.gotrue import AuthUser, create_user
from tests.support.postgrest import as_user
from tests.support.rooms import LiveRoom


def upload(db: psycopg.Connection, who: AuthUser | None, bucket: str, name: str) -> None:
    """What Storage does for an upload by ``who``: insert the object row as them (Storage runs no
    PostgREST pre-request hook)."""
    with as_user(db, who, pre_request=False) as conn:
        conn.execute(
            "insert into storage.objects (bucket_id, name, owner_id, metadata) values (%s, %s, %s, '{}')",
            (bucket, name, str(who.id) if who else None),
        )


def can_read(db: psycopg.Connection, who: AuthUser | None, bucket: str, name: str) -> bool:
    """Whether ``who`` may read (and so get a signed URL for) the object."""
    with as_user(db, who, pre_request=False) as conn:
        return conn.execute(
            "select count(*) from storage.objects where bucket_id = %s and name = %s", (bucket, name)
        ).fetchone() == (1,)


def refused(db: psycopg.Connection, who: AuthUser | None, bucket: str, name: str) -> bool:
    try:
        upload(db, who, bucket, name)
    except psycopg.errors.InsufficientPrivilege:
        return True
    return False


def test_buckets_carry_their_limits(db: psycopg.Connection) -> None:
    rows = db.execute(
        "select id, public, file_size_limit, 'image/png' = any(allowed_mime_types), 'audio/mpeg' = any(allowed_mime_types)"
        " from storage.buckets where id in ('avatars', 'covers', 'audio', 'audio-streams') order by id"
    ).fetchall()
    assert rows == [
        ("audio", False, 750 * 1024 * 1024, False, True),
        ("audio-streams", False, 750 * 1024 * 1024, False, False),  # audio/mp4 only: the worker's renditions
        ("avatars", True, 1024 * 1024, True, False),  # uploaded already sized (docs/media.md)
        ("covers", True, 2 * 1024 * 1024, True, False),
    ]


@pytest.mark.parametrize("bucket", ["avatars", "covers"])
def test_users_write_only_their_own_image_folder_and_everyone_reads(
    db: psycopg.Connection, bucket: str
) -> None:
    alice, bob = create_user(db), create_user(db)
    upload(db, alice, bucket, f"{alice.id}/me.png")
    assert refused(db, alice, bucket, f"{bob.id}/me.png"), "not someone else's folder"
    assert refused(db, alice, bucket, "me.png"), "not the bucket root"
    assert refused(db, None, bucket, "anon.png"), "not anonymous requests"
    assert can_read(db, bob, bucket, f"{alice.id}/me.png")
    assert can_read(db, None, bucket, f"{alice.id}/me.png"), "public: the anon key reads too"
    with as_user(db, bob) as conn:
        changed = conn.execute("update storage.objects set metadata = '{\"x\": 1}' where name = %s",
                               (f"{alice.id}/me.png",)).rowcount  # fmt: skip
    assert changed == 0, "bob cannot replace alice's avatar"


def test_only_djs_upload_audio_and_only_to_their_folder(db: psycopg.Connection) -> None:
    dj, other_dj, listener = make_dj(db), make_dj(db), create_user(db)
    upload(db, dj, "audio", f"{dj.id}/set.mp3")
    assert refused(db, dj, "audio", f"{other_dj.id}/set.mp3")
    assert refused(db, listener, "audio", f"{listener.id}/set.mp3"), "listeners are not DJs"


def test_audio_is_heard_by_the_dj_staff_and_the_live_room_only(db: psycopg.Connection, api: Api) -> None:
    dj = make_dj(db)
    name = f"{dj.id}/{uuid.uuid4()}.mp3"
    upload(db, dj, "audio", name)
    stranger, staff = create_user(db), create_user(db)
    db.execute("insert into private.staff (user_id, role) values (%s, 'moderator')", (staff.id,))
    assert can_read(db, dj, "audio", name)
    assert can_read(db, staff, "audio", name)
    assert not can_read(db, stranger, "audio", name)
    assert not can_read(db, None, "audio", name)
    room = LiveRoom(api, dj, make_session(api, dj))
    listener = room.member()
    assert can_read(db, listener, "audio", name), "a present listener of the DJ's live session"
    api(listener, "leave_session", p_session_id=room.id)
    assert not can_read(db, listener, "audio", name), "not after leaving"
