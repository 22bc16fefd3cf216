"""The app's main flows against a real local Supabase (`supabase start`): GoTrue's phone sign-in,
PostgREST's RPCs, Realtime's private channels, Storage and the edge functions, through
supabase-py as the app calls them. Skipped cleanly where no Docker engine answers (conftest)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx2
import psycopg
import pytest
from postgrest import APIError
from storage3.exceptions import StorageApiError

from tests.e2e import app
from tests.e2e.conftest import People, Room
from tests.e2e.stack import Stack, superuser_url
from whatssound_svc import migrations, paths
from whatssound_svc.errors import ShimRefused
from whatssound_svc.local import shim

pytestmark = [pytest.mark.docker, pytest.mark.node, pytest.mark.slow]
TRACK = {
    "p_provider": "spotify", "p_provider_track_id": "4uLU6hMCjMI75M1A2tKUQC",
    "p_title": "Never Gonna Give You Up", "p_artist": "Rick Astley", "p_duration_ms": 213000,
}  # fmt: skip


def test_every_migration_and_the_seed_applied_through_the_cli(stack: Stack) -> None:
    with psycopg.connect(stack.db_url, autocommit=True) as conn:
        applied = migrations.applied_migrations(conn)
        profiles = conn.execute("select count(*) from public.profiles where is_dj").fetchone()
        superuser = conn.execute("select rolsuper from pg_roles where rolname = current_user").fetchone()
    assert sorted(applied) == [m.version for m in migrations.local_migrations(paths.MIGRATIONS_DIR)]
    assert profiles == (1,), "the seed's DJ is there"
    assert superuser == (False,), "postgres is not a superuser, as on a hosted project"


def test_the_shim_refuses_a_real_supabase_database(stack: Stack) -> None:
    with psycopg.connect(superuser_url(stack.db_url), autocommit=True) as conn:
        assert shim.is_supabase_managed(conn)
        with pytest.raises(ShimRefused):
            shim.apply(conn)
        assert shim.applied_hash(conn) is None, "nothing of the shim was left behind"


def test_a_test_number_signs_in_with_the_app_claims(stack: Stack, people: People) -> None:
    async def me() -> Any:
        client = await app.client_as(stack, people.listener)
        user = await client.auth.get_user()
        assert user is not None
        return user.user

    user = asyncio.run(me())
    assert user.id == people.listener.user_id
    assert user.phone == "15555550102", "GoTrue stores the number without +"
    # [auth.hook.custom_access_token] ran inside real Supabase Auth (sql/auth/*_auth-token-hook.sql).
    dj, listener = app.claims(people.dj.access_token), app.claims(people.listener.access_token)
    assert (dj["role"], dj["iss"]) == ("authenticated", f"{stack.api_url}/auth/v1")
    assert (dj["whatssound"]["dj"], dj["whatssound"]["handle"]) == (True, "dj_nova")
    assert (listener["whatssound"]["dj"], listener["whatssound"]["handle"]) == (False, "lia")


def test_chat_reaches_the_private_channel_of_the_room(stack: Stack, people: People, room: Room) -> None:
    body = f"hello from e2e {uuid.uuid4().hex[:6]}"

    async def chat() -> dict[str, Any]:
        listener = await app.client_as(stack, people.listener)
        inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        await app.subscribe_private(listener, room.topic, inbox.put_nowait)
        dj = await app.client_as(stack, people.dj)
        sent = await app.rpc(dj, "send_message", {"p_session_id": room.id, "p_body": body,
                                                  "p_client_id": str(uuid.uuid4())})  # fmt: skip
        assert sent["status"] == "visible", sent
        try:
            try:
                return await app.first_matching(inbox, lambda e: app.carries_message(e, body), timeout=5)
            except TimeoutError:
                # Not at once (the room had no budget yet): the next tick carries it. pg_cron
                # runs the flusher every second; flushing by hand only makes it sooner.
                with psycopg.connect(stack.db_url, autocommit=True) as conn:
                    conn.execute("select private.realtime_flush()")
                return await app.first_matching(inbox, lambda e: app.carries_message(e, body), timeout=20)
        finally:
            await listener.realtime.close()

    envelope = asyncio.run(chat())
    assert envelope["topic"] == room.topic
    assert envelope["seq"] >= 1


def test_a_request_and_a_vote_show_in_the_snapshot(stack: Stack, people: People, room: Room) -> None:
    async def request_and_vote() -> tuple[Any, Any, Any]:
        listener = await app.client_as(stack, people.listener)
        requested = await app.rpc(listener, "request_track", {"p_session_id": room.id, **TRACK})
        moderator = await app.client_as(stack, people.moderator)
        voted = await app.rpc(moderator, "cast_vote", {"p_item_id": requested["item"]["id"], "p_value": 1})
        return requested, voted, await app.rpc(listener, "session_snapshot", {"p_session_id": room.id})

    requested, voted, snapshot = asyncio.run(request_and_vote())
    assert requested["was_already_queued"] is False
    assert requested["item"]["requested_by"] == people.listener.user_id
    assert voted["upvotes"] == 2, "the request is the requester's up vote, plus the moderator's"
    assert snapshot["session"]["id"] == room.id
    assert snapshot["delivery"]["mode"] == "push"
    [entry] = [e for e in snapshot["queue"] if e["item_id"] == requested["item"]["id"]]
    assert (entry["title"], entry["upvotes"]) == (TRACK["p_title"], 2)


def test_outsiders_cannot_vote_and_nothing_changes(stack: Stack, people: People, room: Room) -> None:
    async def outsider_votes() -> tuple[APIError, Any, Any]:
        listener = await app.client_as(stack, people.listener)
        requested = await app.rpc(listener, "request_track", {"p_session_id": room.id, **TRACK,
                                                              "p_provider_track_id": "7GhIk7Il098yCjg4BQjzvb"})  # fmt: skip
        before = await app.rpc(listener, "queue_top", {"p_session_id": room.id})
        outsider = await app.client_as(stack, people.outsider)
        with pytest.raises(APIError) as refused:
            await app.rpc(outsider, "cast_vote", {"p_item_id": requested["item"]["id"], "p_value": 1})
        return refused.value, before, await app.rpc(listener, "queue_top", {"p_session_id": room.id})

    error, before, after = asyncio.run(outsider_votes())
    assert error.code == "NOTIN"
    assert after == before


def test_an_avatar_goes_to_the_users_own_folder_only(stack: Stack, people: People) -> None:
    async def upload() -> str:
        client = await app.client_as(stack, people.listener)
        avatars = client.storage.from_("avatars")
        await avatars.upload(app.avatar_path(people.listener.user_id), app.PNG_1X1,
                             {"content-type": "image/png", "upsert": "true"})  # fmt: skip
        with pytest.raises(StorageApiError):
            await avatars.upload(app.avatar_path(people.dj.user_id, "not-mine.png"), app.PNG_1X1,
                                 {"content-type": "image/png"})  # fmt: skip
        return await avatars.get_public_url(app.avatar_path(people.listener.user_id))

    public_url = asyncio.run(upload())
    served = httpx2.get(public_url, timeout=30)
    assert (served.status_code, served.content) == (200, app.PNG_1X1), "avatars are public (CDN)"


def test_the_edge_functions_refuse_with_their_documented_codes(
    functions: Stack, people: People, room: Room
) -> None:
    tip = {"session_id": room.id, "amount": 500, "currency": "usd", "request_id": str(uuid.uuid4())}
    signed_out = app.call_function(functions, "create-tip", tip, None)
    outsider = app.call_function(functions, "create-tip", tip, people.outsider.access_token)
    member = app.call_function(functions, "create-tip", tip, people.listener.access_token)
    assert (signed_out[0], signed_out[1]["code"]) == (401, "LOGIN")
    assert (outsider[0], outsider[1]["code"]) == (400, "NOTIN"), "the database's rule, as the caller"
    assert outsider[1]["hint"] == "Call join_session."
    assert (member[0], member[1]["code"]) == (400, "DJACC"), (
        "the DJ has no payout account: Stripe is never called"
    )
