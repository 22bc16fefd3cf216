"""The push tests' harness: a committed database, a loopback Expo, and the sender between them."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from psycopg_pool import AsyncConnectionPool

from tests.conftest import FreshDb
from tests.push import fake_expo
from tests.support.gotrue import AuthUser, create_user
from whatssound_svc import schedule
from whatssound_svc.jobs import queue, recovery
from whatssound_svc.push import sender
from whatssound_svc.push.expo import Expo
from whatssound_svc.push.settings import PushSettings


class Outbox:
    """A committed database, an Expo fake, and the sender between them."""

    def __init__(self, db: FreshDb, expo: fake_expo.FakeExpo) -> None:
        self.db, self.expo = db, expo
        self.conn = db.connect("supabase_admin")
        self.settings = PushSettings(expo_url=expo.url)  # retries wait their 1-2 s: after a send

    def user(self, devices: int = 1) -> tuple[AuthUser, list[str]]:
        user = create_user(self.conn)
        tokens = [fake_expo.token(f"{user.id.hex[:12]}{n}") for n in range(devices)]
        for t in tokens:
            self.conn.execute("insert into public.push_devices (user_id, token, platform) values (%s, %s, 'ios')",
                              (user.id, t))  # fmt: skip
        return user, tokens

    def people(self, n: int) -> list[uuid.UUID]:
        """``n`` users with a device each (token ``ExponentPushToken[<id hex>]``), ids ascending."""
        ids = sorted(uuid.uuid4() for _ in range(n))
        self.conn.execute(
            "insert into auth.users (id, phone, raw_user_meta_data)"
            " select id, '1777' || lpad(n::text, 7, '0'), '{}' from unnest(%s::uuid[]) with ordinality as u (id, n)",
            (ids,),
        )
        self.conn.execute(
            "insert into public.push_devices (user_id, token, platform)"
            " select id, 'ExponentPushToken[' || replace(id::text, '-', '') || ']', 'android' from unnest(%s::uuid[]) as id",
            (ids,),
        )
        return ids

    def followers(self, dj: AuthUser, n: int) -> list[str]:
        """``n`` followers of ``dj`` with a device each (their tokens, by follower id); the DJ's
        new-follower pushes are set aside."""
        ids = self.people(n)
        self.conn.execute(
            "insert into public.follows (follower_id, followee_id) select id, %s from unnest(%s::uuid[]) as id",
            (dj.id, ids),
        )
        self.conn.execute("update private.push_messages set status = 'suppressed' where status = 'queued'")
        return [fake_expo.token_of(i) for i in ids]

    def notify(
        self, user: AuthUser, kind: str = "mention", session: uuid.UUID | None = None, **payload: Any
    ) -> None:
        self.conn.execute(
            "select private.notify(%s, %s::public.notification_kind, %s, null, %s, null, %s::jsonb)",
            (user.id, kind, f"{kind}:{uuid.uuid4()}", session, json.dumps(payload)),
        )

    def send(self, *, wait: bool = False) -> sender.SendReport:
        async def run() -> sender.SendReport:
            async with AsyncConnectionPool(self.db.url(), min_size=1, max_size=4, open=False) as pool:
                expo = Expo(self.settings)
                try:
                    return await sender.send_due(pool, expo, self.settings, wait=wait)
                finally:
                    await expo.aclose()

        return asyncio.run(run())

    def work(self, *, recover: bool = False) -> None:
        """Run a job worker (against the fake: the fixture points WHATSSOUND_PUSH_EXPO_URL at it)
        until nothing is due; ``recover``: first put back the jobs of a dead worker (silent for
        2 s), as ``jobs:recover_stalled`` would."""
        if recover:
            time.sleep(2.1)  # its last heartbeat goes stale
        app = queue.make_app(self.db.url(), stalled_after_s=2.0)

        async def run() -> None:
            async with app.open_async():
                if recover:
                    await recovery.recover_stalled(app)
                await schedule.register_periodic(app)
                await app.run_worker_async(wait=False, install_signal_handlers=False)

        asyncio.run(run())

    def receipts(self) -> int:
        self.conn.execute("update private.push_messages set sent_at = sent_at - interval '16 minutes'")

        async def run() -> int:
            async with AsyncConnectionPool(self.db.url(), min_size=1, max_size=2, open=False) as pool:
                expo = Expo(self.settings)
                try:
                    return await sender.check_receipts(pool, expo, self.settings)
                finally:
                    await expo.aclose()

        return asyncio.run(run())

    def states(self) -> list[tuple[Any, ...]]:
        return self.conn.execute(
            "select status::text, error, attempts, not_before > claimed_at from private.push_messages order by id"
        ).fetchall()

    def active(self, token: str) -> bool:
        row = self.conn.execute(
            "select active from public.push_devices where token = %s", (token,)
        ).fetchone()
        return bool(row and row[0])


@pytest.fixture
def outbox(fresh_db: FreshDb, environ: Callable[..., None]) -> Iterator[Outbox]:
    with fake_expo.running() as expo:
        environ(WHATSSOUND_PUSH_EXPO_URL=expo.url)
        box = Outbox(fresh_db, expo)
        try:
            yield box
        finally:
            expo.answering.set()
            box.conn.close()
