"""A studio for media tests: a committed database, the S3 stand-ins, a DJ, and a worker."""

from __future__ import annotations

from typing import Any

from tests.conftest import FreshDb
from tests.jobs.test_queue import work
from tests.media import s3
from tests.support.api import make_dj
from tests.support.broadcasts import Broadcasts
from tests.support.gotrue import AuthUser
from whatssound_svc.jobs import queue


class Studio:
    """A committed database, the two S3 stand-ins, a DJ, and a worker to run the media jobs."""

    def __init__(self, db: FreshDb, stores: s3.Stores) -> None:
        self.db, self.stores = db, stores
        self.conn = db.connect("supabase_admin")
        self.conn.execute("set role postgres")
        self.dj = make_dj(self.conn)
        self.seen = Broadcasts(self.conn)

    def upload(self, data: bytes, name: str = "friday.mp3", who: AuthUser | None = None) -> str:
        who = who or self.dj
        return self.stores.upload(self.conn, who, "audio", f"{who.id}/{name}", data)

    def work(self) -> None:
        work(queue.make_app(self.db.url()))

    def asset(self, object_id: str) -> dict[str, Any]:
        cur = self.conn.execute("select * from public.audio_assets where object_id = %s", (object_id,))
        row = cur.fetchone()
        assert row is not None
        return dict(zip([c.name for c in cur.description or []], row, strict=True))

    def events(self) -> list[tuple[str, dict[str, Any]]]:
        return [(b.event, b.data) for b in self.seen.take(f"user:{self.dj.id}")]
