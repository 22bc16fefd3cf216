"""An upload, processed as in production: Storage writes the object row as the uploader (our
trigger queues the jobs in that transaction), a worker fetches the original through the S3 API,
measures it, writes the rendition back, and the uploader hears of it on user:<id>. Storage's S3
API and R2 are loopback S3 servers (moto)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from typing import Any

import av
import numpy as np
import psycopg
import pytest

from tests.conftest import FreshDb
from tests.jobs.test_queue import work
from tests.media import s3
from tests.media.audio import encode, sine
from tests.support.api import Api, make_dj, make_session
from tests.support.broadcasts import Broadcasts
from tests.support.gotrue import AuthUser, create_user
from tests.support.postgrest import as_user
from whatssound_svc.jobs import queue
from whatssound_svc.media.settings import get_media_settings


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


@pytest.fixture
def studio(fresh_db: FreshDb, monkeypatch: pytest.MonkeyPatch) -> Iterator[Studio]:
    with s3.running() as stores:
        for key, value in stores.env().items():
            monkeypatch.setenv(key, value)
        get_media_settings.cache_clear()
        studio = Studio(fresh_db, stores)
        try:
            yield studio
        finally:
            studio.conn.close()
            get_media_settings.cache_clear()


def test_an_upload_is_measured_rendered_and_announced(studio: Studio) -> None:
    original = encode(sine(20, 0.1), "libmp3lame")
    object_id = studio.upload(original)
    assert studio.asset(object_id)["status"] == "queued"
    queued = studio.events()
    assert queued == [("media.progress", {"asset_id": object_id, "path": f"{studio.dj.id}/friday.mp3",
                                          "status": "queued", "stage": None, "progress": 0})]  # fmt: skip

    studio.work()

    asset = studio.asset(object_id)
    assert asset["status"] == "ready"
    assert asset["codec"] == "mp3"
    assert (asset["sample_rate"], asset["channels"]) == (48_000, 2)
    assert float(asset["duration_s"]) == pytest.approx(20, abs=0.1)
    assert float(asset["loudness_lufs"]) == pytest.approx(-20.0, abs=0.6)
    assert float(asset["true_peak_dbtp"]) == pytest.approx(-20.0, abs=1.0)
    assert max(asset["waveform"]) == pytest.approx(0.1, abs=0.02)
    assert asset["size_bytes"] == len(original)
    assert asset["original_sha256"] == hashlib.sha256(original).hexdigest()

    # the rendition: content-addressed, immutable, AAC-LC in MP4, as long as the original
    stream_path = asset["stream_path"]
    assert stream_path.startswith(f"{studio.dj.id}/") and stream_path.endswith(".m4a")
    body = studio.stores.storage.get_object(Bucket="audio-streams", Key=stream_path)
    data = body["Body"].read()
    assert stream_path == f"{studio.dj.id}/{hashlib.sha256(data).hexdigest()}.m4a"
    assert body["ContentType"] == "audio/mp4"
    assert body["CacheControl"] == "public, max-age=31536000, immutable"
    with av.open(io.BytesIO(data)) as played:
        audio = played.streams.audio[0]
        assert audio.codec_context.name == "aac"
        assert float(audio.duration * audio.time_base) == pytest.approx(20, abs=0.1)
    assert asset["stream_bitrate"] == 128_000
    assert asset["stream_bytes"] == len(data)
    assert 0.9 < len(data) * 8 / 20 / 128_000 < 1.1

    events = studio.events()
    assert [e for e, _ in events][-1] == "media.ready"
    assert [e for e, _ in events].count("media.ready") == 1
    assert {d["stage"] for e, d in events if e == "media.progress"} >= {"downloading"}
    assert events[-1][1]["stream_path"] == stream_path
