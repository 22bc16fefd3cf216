"""The verifier against a loopback Spotify: what it asks, what it records, and how it backs off."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import pytest
from psycopg_pool import AsyncConnectionPool

from tests.catalogue import fake_spotify
from tests.catalogue.fake_spotify import FakeSpotify, track_id
from tests.conftest import FreshDb
from whatssound_svc.catalogue import verify
from whatssound_svc.catalogue.settings import CatalogueSettings


class Catalogue:
    """A committed database with typed rows, a fake Spotify, and the verifier between them."""

    def __init__(self, db: FreshDb, spotify: FakeSpotify) -> None:
        self.db, self.spotify = db, spotify
        self.conn = db.connect()
        self.settings = CatalogueSettings(
            spotify_client_id=fake_spotify.CLIENT_ID, spotify_client_secret=fake_spotify.CLIENT_SECRET,  # type: ignore[arg-type]
            spotify_accounts_url=spotify.url, spotify_api_url=spotify.url, unavailable_retry_s=120,
        )  # fmt: skip

    def typed(self, tid: str, title: str = "as typed", sessions: int = 1) -> None:
        for _ in range(sessions):
            self.conn.execute(
                "insert into public.tracks (provider, provider_track_id, title, artist, duration_ms, requested_in)"
                " values ('spotify', %s, %s, 'x', 200000, %s)",
                (tid, title, uuid.uuid4()),
            )

    def run(self, settings: CatalogueSettings | None = None) -> verify.VerifyReport:
        async def go() -> verify.VerifyReport:
            async with AsyncConnectionPool(self.db.url(), min_size=1, max_size=2, open=False) as pool:
                sources = verify.providers(settings or self.settings)
                try:
                    return await verify.verify_due(pool, sources, settings or self.settings)
                finally:
                    for source in sources:
                        await source.aclose()

        return asyncio.run(go())

    def rows(self, tid: str) -> list[tuple]:
        return self.conn.execute(
            "select title, artist, requested_in is null, verified_at is not null from public.tracks"
            " where provider_track_id = %s order by 3 desc, 1",
            (tid,),
        ).fetchall()

    def check(self, tid: str) -> tuple | None:
        return self.conn.execute(
            "select outcome, attempts, round(extract(epoch from next_check_at - now())) from private.track_checks"
            " where provider_track_id = %s",
            (tid,),
        ).fetchone()


@pytest.fixture
def catalogue(fresh_db: FreshDb) -> Iterator[Catalogue]:
    with fake_spotify.running() as spotify:
        c = Catalogue(fresh_db, spotify)
        try:
            yield c
        finally:
            c.conn.close()


def test_a_known_track_becomes_the_shared_row_with_spotifys_details(catalogue: Catalogue) -> None:
    tid = track_id("rick")
    catalogue.spotify.add(tid, "Never Gonna Give You Up", ["Rick Astley"], duration_ms=213_573)
    catalogue.typed(tid, "something offensive", sessions=2)
    report = catalogue.run()
    assert (report.asked, report.verified) == (1, 1)
    assert catalogue.rows(tid) == [("Never Gonna Give You Up", "Rick Astley", True, True)]
    assert catalogue.conn.execute(
        "select artwork_url, duration_ms from public.tracks where provider_track_id = %s", (tid,)
    ).fetchone() == ("https://i.scdn.co/image/ab67616d0000b273", 213_573)
    assert catalogue.run().asked == 0  # nothing left to ask
    assert catalogue.spotify.asked == [tid]


def test_several_artists_are_joined_and_odd_artwork_is_dropped(catalogue: Catalogue) -> None:
    tid = track_id("duet")
    catalogue.spotify.add(tid, "Duet", ["A", "B"], image="https://evil.example/x.png")
    catalogue.typed(tid)
    catalogue.run()
    assert catalogue.conn.execute(
        "select artist, artwork_url from public.tracks where provider_track_id = %s", (tid,)
    ).fetchone() == ("A, B", None)


def test_an_unknown_or_malformed_id_is_recorded_and_not_asked_again_for_a_month(catalogue: Catalogue) -> None:
    unknown, malformed = track_id("nope"), "not-a-spotify-id"
    catalogue.typed(unknown)
    catalogue.typed(malformed)
    report = catalogue.run()
    assert (report.asked, report.not_found) == (2, 2)
    assert catalogue.spotify.asked == [unknown]  # a malformed id is never sent
    for tid in (unknown, malformed):
        outcome, attempts, wait_s = catalogue.check(tid) or ()
        assert (outcome, attempts) == ("not_found", 1)
        assert 30 * 86400 - 60 < wait_s <= 30 * 86400
        assert catalogue.rows(tid) == [("as typed", "x", False, False)]  # still seen only in its session
    assert catalogue.run().asked == 0


def test_a_rate_limit_stops_the_run_until_retry_after(catalogue: Catalogue) -> None:
    ids = [track_id(f"t{n}") for n in range(5)]
    for tid in ids:
        catalogue.spotify.add(tid, f"Song {tid}", ["Artist"])
        catalogue.typed(tid)
    catalogue.spotify.limit_per_window = 2
    report = catalogue.run()
    assert (report.asked, report.verified, report.unavailable) == (3, 2, 1)
    assert len(catalogue.spotify.asked) == 2  # the third was refused; the rest were not sent at all
    limited = [c for c in map(catalogue.check, ids) if c is not None and c[0] == "unavailable"]
    assert [(c[0], 0 < c[2] <= 7) for c in limited] == [("unavailable", True)]  # Retry-After: 7
    catalogue.spotify.limit_per_window = 1000
    catalogue.conn.execute(
        "update private.track_checks set next_check_at = now() where outcome = 'unavailable'"
    )
    assert catalogue.run().verified == 3


def test_a_provider_failure_is_asked_about_again_later(catalogue: Catalogue) -> None:
    tid = track_id("flaky")
    catalogue.spotify.add(tid, "Flaky", ["Artist"])
    catalogue.typed(tid)
    catalogue.spotify.faults = [503]
    assert catalogue.run().unavailable == 1
    outcome, attempts, wait_s = catalogue.check(tid) or ()
    assert (outcome, attempts, 110 < wait_s <= 120) == ("unavailable", 1, True)
    assert catalogue.run().asked == 0  # not before its time
    catalogue.conn.execute("update private.track_checks set next_check_at = now()")
    assert catalogue.run().verified == 1
    assert catalogue.check(tid)[:2] == ("verified", 2)  # type: ignore[index]


def test_an_expired_token_is_renewed_once(catalogue: Catalogue) -> None:
    first, second = track_id("one"), track_id("two")
    for tid in (first, second):
        catalogue.spotify.add(tid, "Song", ["Artist"])

    async def run_twice() -> list[verify.VerifyReport]:
        async with AsyncConnectionPool(catalogue.db.url(), min_size=1, max_size=2, open=False) as pool:
            [spotify] = verify.providers(catalogue.settings)  # one client: its token is kept between runs
            try:
                catalogue.typed(first)
                reports = [await verify.verify_due(pool, [spotify], catalogue.settings)]
                catalogue.spotify.expire_tokens()  # Spotify revoked it before its expires_in
                catalogue.typed(second)
                return [*reports, await verify.verify_due(pool, [spotify], catalogue.settings)]
            finally:
                await spotify.aclose()

    assert [r.verified for r in asyncio.run(run_twice())] == [1, 1]
    assert catalogue.spotify.token_requests == 2  # the first token, then one renewal


def test_without_credentials_nothing_is_asked(catalogue: Catalogue) -> None:
    catalogue.typed(track_id("quiet"))
    assert catalogue.run(CatalogueSettings()).asked == 0
    assert catalogue.spotify.asked == []


def test_wrong_credentials_leave_the_rows_unverified(catalogue: Catalogue) -> None:
    tid = track_id("creds")
    catalogue.spotify.add(tid, "Song", ["Artist"])
    catalogue.typed(tid)
    wrong = catalogue.settings.model_copy(update={"spotify_client_id": "someone-else"})
    report = catalogue.run(wrong)
    assert (report.verified, report.unavailable) == (0, 1)
    assert catalogue.rows(tid) == [("as typed", "x", False, False)]
