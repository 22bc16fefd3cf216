"""The catalogue is the provider's: what a requester types stays in their session until the
service has verified the provider id, and artwork comes only from the provider's image hosts."""

from __future__ import annotations

import psycopg
import pytest

from tests.queue.conftest import QueueRoom
from tests.support.api import Api, make_dj, make_session, raises_code
from tests.support.broadcasts import Broadcasts

TRACK = "4uLU6hMCjMI75M1A2tKUQC"  # a Spotify track id
REAL = {"p_title": "Never Gonna Give You Up", "p_artist": "Rick Astley", "p_duration_ms": 213_573}
VERIFIED = ("spotify", TRACK, "Never Gonna Give You Up", "Rick Astley", 213_573,
            "https://i.scdn.co/image/ab67616d0000b273", False)  # fmt: skip


def _room(db: psycopg.Connection, api: Api) -> QueueRoom:
    dj = make_dj(db)
    return QueueRoom(api, dj, make_session(api, dj))


def _verify(db: psycopg.Connection, *details: object) -> int:
    row = db.execute(
        "select outcome, moved from private.verify_track(%s, %s, %s, %s, %s, %s, %s)", details or VERIFIED
    ).fetchone()
    assert row is not None
    return int(row[1]) if row[0] == "verified" else -1


def _entry(room: QueueRoom) -> dict:
    [entry] = [e for e in room.top() if e["title"] is not None]
    return entry


def test_a_listener_cannot_rename_a_track_for_other_rooms(db: psycopg.Connection, api: Api) -> None:
    # The attack of issue 17 §2: room A names the id first, room B requests it with the real title.
    a, b = _room(db, api), _room(db, api)
    with raises_code("22023") as caught:
        a.request(
            a.listener(), TRACK, p_title="something offensive", p_artwork_url="https://evil.example/x.png"
        )
    assert caught.value.message == "Invalid track details: the artwork must come from spotify's image hosts."
    a.request(a.listener(), TRACK, p_title="something offensive", p_artist="x")
    b.request(b.listener(), TRACK, **REAL)
    assert (_entry(a)["title"], _entry(a)["verified"]) == ("something offensive", False)
    assert (_entry(b)["title"], _entry(b)["artist"], _entry(b)["verified"]) == (
        "Never Gonna Give You Up", "Rick Astley", False)  # fmt: skip
    assert _entry(a)["track_id"] != _entry(b)["track_id"]
    shared = db.execute(
        "select count(*) from public.tracks where provider_track_id = %s and requested_in is null", (TRACK,)
    ).fetchone()
    assert shared == (0,)  # nothing typed became shared


def test_verification_gives_every_room_the_providers_details(db: psycopg.Connection, api: Api) -> None:
    a, b = _room(db, api), _room(db, api)
    a.request(a.listener(), TRACK, p_title="something offensive", p_artist="x")
    b.request(b.listener(), TRACK, **REAL)
    seen = Broadcasts(db)
    seen.take()
    assert _verify(db) == 2
    for room in (a, b):
        entry = _entry(room)
        assert (entry["title"], entry["artist"], entry["artwork_url"], entry["verified"]) == (
            "Never Gonna Give You Up", "Rick Astley", "https://i.scdn.co/image/ab67616d0000b273", True)  # fmt: skip
    told = {(x.topic, x.data["title"], x.data["verified"]) for x in seen.take() if x.event == "queue.item"}
    assert told == {(a.topic, "Never Gonna Give You Up", True), (b.topic, "Never Gonna Give You Up", True)}
    rows = db.execute(
        "select requested_in is null, verified_at is not null from public.tracks where provider_track_id = %s",
        (TRACK,),
    ).fetchall()
    assert rows == [(True, True)]  # the typed rows are gone
    checks = db.execute(
        "select outcome, attempts from private.track_checks where provider_track_id = %s", (TRACK,)
    ).fetchall()
    assert checks == [("verified", 1)]


def test_after_verification_typed_details_are_ignored(db: psycopg.Connection, api: Api) -> None:
    a = _room(db, api)
    a.request(a.listener(), TRACK, **REAL)
    _verify(db)
    c = _room(db, api)
    result = c.request(
        c.listener(), TRACK, p_title="something offensive", p_explicit=True, p_duration_ms=1000
    )
    assert (result["track"]["title"], result["track"]["explicit"], result["track"]["duration_ms"]) == (
        "Never Gonna Give You Up", False, 213_573)  # fmt: skip
    assert result["track"]["id"] == _entry(a)["track_id"]


def test_rows_typed_before_this_change_are_not_reused(db: psycopg.Connection, api: Api) -> None:
    db.execute(
        "insert into public.tracks (provider, provider_track_id, title, artist, duration_ms)"
        " values ('spotify', %s, 'poisoned earlier', 'x', 200000)",
        (TRACK,),
    )
    a = _room(db, api)
    assert a.request(a.listener(), TRACK, **REAL)["track"]["title"] == "Never Gonna Give You Up"
    _verify(db)  # the old shared row is corrected in place
    titles = db.execute(
        "select title, verified_at is not null from public.tracks where provider_track_id = %s", (TRACK,)
    ).fetchall()
    assert titles == [("Never Gonna Give You Up", True)]


def test_playlists_move_to_the_verified_row_and_the_play_log_keeps_what_played(
    db: psycopg.Connection, api: Api
) -> None:
    a = _room(db, api)
    lia = a.listener()
    played = a.request(lia, TRACK, **REAL)["item"]
    a.control("advance")
    snagged = a.api(lia, "snag", p_session_id=a.id)
    a.control("advance")
    typed = db.execute("select track_id from public.queue_items where id = %s", (played["id"],)).fetchone()
    _verify(db)
    shared = db.execute(
        "select id from public.tracks where provider_track_id = %s and requested_in is null", (TRACK,)
    ).fetchone()
    assert db.execute(
        "select track_id from public.playlist_tracks where playlist_id = %s", (snagged["playlist_id"],)
    ).fetchall() == [shared]
    # What played keeps the row the room saw (the play log is append-only), and that row stays.
    assert (
        db.execute("select track_id from public.queue_items where id = %s", (played["id"],)).fetchone()
        == typed
    )
    assert db.execute(
        "select track_id from public.session_plays where item_id = %s", (played["id"],)
    ).fetchall() == [typed]
    assert db.execute("select title from public.tracks where id = %s", typed).fetchone() == (REAL["p_title"],)


def test_provider_details_outside_our_limits_leave_typed_rows_alone(db: psycopg.Connection, api: Api) -> None:
    a = _room(db, api)
    a.request(a.listener(), TRACK, **REAL)
    assert _verify(db, "spotify", TRACK, "A four-hour mix", "DJ", 4 * 3_600_000, None, False) == -1
    assert (_entry(a)["title"], _entry(a)["verified"]) == ("Never Gonna Give You Up", False)
    assert db.execute(
        "select outcome, next_check_at > now() + interval '29 days' from private.track_checks"
    ).fetchall() == [("unusable", True)]


def test_artwork_off_the_providers_hosts_is_dropped_on_verification(db: psycopg.Connection) -> None:
    _verify(db, "spotify", TRACK, "Song", "Artist", 200_000, "https://evil.example/a.png", False)
    assert db.execute(
        "select artwork_url from public.tracks where provider_track_id = %s", (TRACK,)
    ).fetchone() == (None,)


@pytest.mark.parametrize(
    ("provider", "url", "allowed"),
    [
        ("spotify", "https://i.scdn.co/image/ab67616d0000b273", True),
        ("spotify", "https://image-cdn-ak.spotifycdn.com/image/ab67", True),
        ("spotify", "https://I.SCDN.CO/image/x", True),
        ("spotify", "https://i.scdn.co@evil.example/x.png", False),  # userinfo: the host is evil.example
        ("spotify", "https://i.scdn.co:8443/x.png", False),
        ("spotify", "https://evil.example/i.scdn.co/x.png", False),
        ("spotify", "https://i.scdn.co.evil.example/x.png", False),
        ("spotify", "https://evil.example\\@i.scdn.co/x.png", False),
        ("spotify", "https://is1-ssl.mzstatic.com/image/x.jpg", False),  # another provider's host
        ("apple_music", "https://is1-ssl.mzstatic.com/image/thumb/x/600x600bb.jpg", True),
        ("apple_music", "https://mzstatic.com.evil.example/x.jpg", False),
        ("apple_music", "https://evilmzstatic.com/x.jpg", False),
        ("soundcloud", "https://i1.sndcdn.com/artworks-000-t500x500.jpg", True),
        ("upload", "https://i.scdn.co/image/x", False),
    ],
)
def test_artwork_comes_only_from_the_providers_image_hosts(
    qroom: QueueRoom, provider: str, url: str, allowed: bool
) -> None:
    lia = qroom.listener()
    if allowed:
        assert (
            qroom.request(lia, "art1", p_provider=provider, p_artwork_url=url)["track"]["artwork_url"] == url
        )
    else:
        with raises_code("22023"):
            qroom.request(lia, "art1", p_provider=provider, p_artwork_url=url)
        assert qroom.top() == []


def test_queue_top_serves_the_rooms_snapshot_page_to_who_may_see_it(db: psycopg.Connection, api: Api) -> None:
    a = _room(db, api)
    a.request(a.listener(), TRACK, **REAL)
    snapshot = a.api(a.dj, "session_snapshot", p_session_id=a.id)
    assert [(e["title"], e["verified"]) for e in snapshot["queue"]] == [(REAL["p_title"], False)]
    assert a.top(limit=50) == snapshot["queue"]
    with raises_code("P0002"):  # hidden.room_state's check: no such (visible) session
        a.api(a.dj, "queue_top", p_session_id="00000000-0000-4000-8000-000000000000")


def test_typed_titles_follow_the_text_policy_and_provider_text_is_cleaned(
    db: psycopg.Connection, api: Api
) -> None:
    a = _room(db, api)
    with raises_code("BADCH"):
        a.request(a.listener(), TRACK, p_title="Never Gonna\u202e Give")
    a.request(a.listener(), TRACK, p_title="Ne\u0301ver", p_artist="Rick")  # NFD in, NFC stored
    assert _entry(a)["title"] == "N\u00e9ver"
    assert _verify(db, "spotify", TRACK, "Never\u200b Gonna", "Rick\u202e Astley", 213_573, None, False) == 1
    assert (_entry(a)["title"], _entry(a)["artist"]) == ("Never Gonna", "Rick Astley")
