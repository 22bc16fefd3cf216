"""Fixtures of the end-to-end suite: one `supabase start` stack per run (skipped cleanly where
no Docker engine answers), the demo users signed in once, and a live room they are in."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.e2e import app
from tests.e2e.stack import SUPABASE, Stack, docker_answers, running_stack, serving_functions

#: supabase/seed.sql's demo users (config.toml [auth.sms.test_otp] numbers): Nova is the DJ.
DJ, MODERATOR, LISTENER, OUTSIDER = "15555550100", "15555550101", "15555550102", "15555550103"
#: The seed's live session of DJ Nova (a DJ may have one live session: create_session ends with LIVE1).
SEEDED_LIVE_SESSION = "d5000000-0000-4000-8000-000000000001"


@dataclass(frozen=True)
class People:
    dj: app.Tokens
    moderator: app.Tokens
    listener: app.Tokens
    outsider: app.Tokens


@dataclass(frozen=True)
class Room:
    """A live session the DJ created, joined by the listener and the moderator (not the outsider)."""

    id: str

    @property
    def topic(self) -> str:
        return f"session:{self.id}"


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """This project on a real local Supabase (`supabase start`), stopped and deleted after."""
    if not docker_answers():
        pytest.skip("no Docker engine answers here; the end-to-end suite runs where one does (make e2e)")
    if not SUPABASE.exists():
        if os.environ.get("WHATSSOUND_REQUIRE_NODE_TOOLS"):
            pytest.fail("tools/node_modules/.bin/supabase is missing; run `make tools`")
        pytest.skip("the Supabase CLI is not installed (npm missing); `make tools` installs it")
    with running_stack(tmp_path_factory.mktemp("supabase-e2e")) as running:
        yield running


@pytest.fixture(scope="session")
def people(stack: Stack) -> People:
    """The four demo users, each signed in once with their test number and code."""

    async def sign_in_all() -> People:
        tokens = [await app.sign_in(stack, number) for number in (DJ, MODERATOR, LISTENER, OUTSIDER)]
        return People(*tokens)

    return asyncio.run(sign_in_all())


@pytest.fixture(scope="session")
def room(stack: Stack, people: People) -> Room:
    """The DJ ends the seed's live session, goes live with a new one; two listeners join."""

    async def open_room() -> Room:
        dj = await app.client_as(stack, people.dj)
        await app.rpc(dj, "end_session", {"p_session_id": SEEDED_LIVE_SESSION})
        session = await app.rpc(dj, "create_session", {
            "p_title": f"e2e {uuid.uuid4().hex[:6]}", "p_genre_tags": ["house"], "p_start_now": True,
        })  # fmt: skip
        assert session["status"] == "live"
        assert session["dj_id"] == people.dj.user_id
        for member in (people.listener, people.moderator):
            joined = await app.rpc(
                await app.client_as(stack, member), "join_session", {"p_session_id": session["id"]}
            )
            assert joined["user_id"] == member.user_id
        return Room(session["id"])

    return asyncio.run(open_room())


@pytest.fixture(scope="session")
def functions(stack: Stack) -> Iterator[Stack]:
    """The edge functions served by `supabase functions serve` (the first start downloads
    their npm packages: allow a few minutes)."""
    with serving_functions(stack) as process:
        deadline = time.monotonic() + 300
        while not app.functions_ready(stack, "create-tip"):
            log = (stack.workdir / "functions.log").read_text(encoding="utf-8", errors="replace")
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"`supabase functions serve` did not come up:\n{log[-4000:]}")
            time.sleep(2)
        yield stack
