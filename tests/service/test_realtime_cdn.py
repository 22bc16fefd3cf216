"""The cdn lane's publisher, as the service runs it: a huge public room's files appear in Storage
(a moto S3 server standing in for Storage's S3 API), named per slot, immutable, readable by URL
as the app reads them, holding every event; a store that refuses writes turns the lane off."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool
from pydantic import SecretStr

from tests.media import s3
from tests.support.api import Api, make_dj, make_session
from tests.support.broadcasts import validate
from tests.support.gotrue import create_user
from whatssound_svc import realtime_cdn
from whatssound_svc.app import create_app
from whatssound_svc.settings import Settings


@pytest.fixture(scope="module")
def s3_url() -> Iterator[str]:
    with s3.server() as url:
        yield url


def settle(fresh_db: Any, base_url: str) -> None:
    """Small thresholds, the lane's URL, and the room work every second."""
    with fresh_db.connect() as conn:
        for key, value in {
            "realtime_push_max_listeners": 1, "realtime_pull_min_listeners": 2,
            "realtime_cdn_min_listeners": 3, "realtime_cdn_exit_listeners": 2,
            "realtime_cdn_base_url": base_url,
        }.items():  # fmt: skip
            conn.execute("update private.settings set value = %s where key = %s", (Jsonb(value), key))
        conn.execute(
            "update private.schedule set every = interval '1 second' where name = 'refresh_presence'"
        )


def fetch(url: str) -> tuple[dict[str, Any], str] | None:
    """GET a file as the app does (the bucket is public): its JSON and Cache-Control, or None for a
    file not there yet (any 4xx: Storage answers 400 for a missing object, S3 403 or 404)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
            return json.loads(response.read()), str(response.headers.get("Cache-Control"))
    except urllib.error.HTTPError as exc:
        if 400 <= exc.code < 500:
            return None
        raise


def test_a_running_service_publishes_a_huge_rooms_files_with_every_event(
    fresh_db: Any, s3_url: str, environ: Callable[..., None]
) -> None:
    stores = s3.fresh(s3_url)
    s3.make_public(stores.storage, "live-frames")
    environ(**stores.env())
    settle(fresh_db, f"{s3_url}/live-frames")
    with fresh_db.connect("supabase_admin") as setup:
        setup.execute("set role postgres")
        api = Api(setup)
        dj = make_dj(setup)
        session = make_session(api, dj)
        people = [create_user(setup) for _ in range(3)]
        for person in people:
            api(person, "join_session", p_session_id=session["id"])
        settings = Settings(database_url=SecretStr(fresh_db.url()), job_concurrency=0)
        with TestClient(create_app(settings)):
            snap = wait_for(lambda: cdn_snapshot(api, people[0], session["id"]), 20)
            cdn = snap["delivery"]["cdn"]
            last = snap["seq"]
            for n in range(3):
                api(people[n], "send_message", p_session_id=session["id"], p_body=f"line {n}",
                    p_client_id=f"00000000-0000-4000-8000-00000000000{n}")  # fmt: skip
            api(dj, "announce", p_session_id=session["id"], p_body="last call")
            seen: list[dict[str, Any]] = []
            slot = cdn["slot"]
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and not (
                {"last call", "line 0", "line 1", "line 2"} <= texts(seen)
            ):
                got = wait_for(lambda s=slot: fetch(f"{cdn['url']}/{s}.json"), 5)  # type: ignore[misc]
                frame, cache_control = got
                validate("cdn-frame", frame)
                assert cache_control == realtime_cdn.CACHE_CONTROL
                assert frame["slot"] == slot
                assert frame["from_seq"] <= last, "files follow on, slot after slot"
                fresh = [e for e in frame["events"] if e["seq"] > last]
                assert [e["seq"] for e in fresh] == list(range(last + 1, frame["to_seq"] + 1))
                seen += fresh
                last = frame["to_seq"]
                slot += 1
            assert {"last call", "line 0", "line 1", "line 2"} <= texts(seen), "every event, in files"
    with fresh_db.connect() as conn:
        stored = conn.execute("select count(*), count(uploaded_at) from private.cdn_frames").fetchone()
    assert stored is not None
    assert stored[0] == stored[1] > 0, "every file cut was stored"


def cdn_snapshot(api: Api, who: Any, session_id: str) -> dict[str, Any] | None:
    snap: dict[str, Any] = api(who, "session_snapshot", p_session_id=session_id)
    return snap if snap["delivery"]["mode"] == "cdn" else None


def texts(envelopes: list[dict[str, Any]]) -> set[str]:
    found = {e["data"]["body"] for e in envelopes if e["event"] == "session.announcement"}
    return found | {m["body"] for e in envelopes if e["event"] == "tick" for m in e["data"]["chat"]}


def wait_for(probe: Callable[[], Any], seconds: float) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if (found := probe()) is not None:
            return found
        time.sleep(0.05)
    raise AssertionError(f"nothing within {seconds} s")


class RefusingStore:
    """A bucket that refuses every write, as Storage does when it is down."""

    def put(self, bucket: str, key: str, body: bytes) -> None:
        raise OSError("connection refused")

    def delete(self, bucket: str, keys: list[str]) -> None:
        raise OSError("connection refused")


def test_a_round_whose_files_are_not_stored_does_not_keep_the_lane_on(fresh_db: Any) -> None:
    settle(fresh_db, "https://ref.supabase.co/storage/v1/object/public/live-frames")

    async def rounds() -> tuple[realtime_cdn.Round, realtime_cdn.Round]:
        async with AsyncConnectionPool(fresh_db.url(), min_size=1, max_size=1, open=False) as pool:
            refused = await realtime_cdn.publish_once(pool, RefusingStore())
            async with pool.connection() as conn:
                ready = await (await conn.execute("select private.cdn_ready()")).fetchone()
            assert ready == (False,), "no round stored: the lane is off"
            return refused, await realtime_cdn.publish_once(pool, MemoryStore())

    refused, stored = asyncio.run(rounds())
    assert (refused.cut, refused.failed) == (0, 1), "no cdn room: the probe was refused"
    assert (stored.cut, stored.failed) == (0, 0)
    with fresh_db.connect() as conn:
        assert conn.execute("select private.cdn_ready()").fetchone() == (True,)


class MemoryStore:
    """A bucket that takes every write."""

    def __init__(self) -> None:
        self.files: dict[tuple[str, str], bytes] = {}

    def put(self, bucket: str, key: str, body: bytes) -> None:
        self.files[(bucket, key)] = body

    def delete(self, bucket: str, keys: list[str]) -> None:
        for key in keys:
            self.files.pop((bucket, key), None)
