"""An upload, processed as in production: Storage writes the object row as the uploader (our
trigger queues the jobs in that transaction), a worker fetches the original through the S3 API,
measures it, writes the rendition back, and the uploader hears of it on user:<id>. Storage's S3
API and R2 are loopback S3 servers (moto)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from typing import Any

import av
import numpy as np
import psycopg
import pytest

from tests.media.audio import encode, sine
from tests.media.studio import Studio
from tests.support.api import Api, make_session
from tests.support.gotrue import AuthUser, create_user
from tests.support.postgrest import as_user


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
    assert stream_path.startswith(f"{studio.dj.id}/")
    assert stream_path.endswith(".m4a")
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


@pytest.mark.parametrize(("make", "code"), [
    (lambda: b"just some text, not audio at all\n" * 200, "not_audio"),
    (lambda: encode(np.zeros((2, 48_000 * 3))), "silent"),
    (lambda: encode(sine(10, 0.1), "libmp3lame")[:12_000], "truncated"),
    (lambda: encode(sine(0.2, 0.1)), "corrupt"),
    (lambda: encode(sine(61, 0.1)), "too_long"),
])  # fmt: skip
def test_an_unusable_file_ends_failed_with_its_reason_and_the_job_done(
    studio: Studio, environ: Callable[..., None], make: Any, code: str
) -> None:
    environ(WHATSSOUND_MEDIA_MAX_MINUTES="1")
    object_id = studio.upload(make())
    studio.work()
    asset = studio.asset(object_id)
    assert (asset["status"], asset["failure_code"]) == ("failed", code)
    assert asset["failure_message"]
    assert asset["stream_path"] is None
    failed = [d for e, d in studio.events() if e == "media.failed"]
    assert failed == [
        {"asset_id": object_id, "path": asset["path"], "code": code, "message": asset["failure_message"]}
    ]
    jobs = studio.conn.execute(
        "select task_name, status::text from procrastinate.procrastinate_jobs order by id"
    ).fetchall()
    assert ("media:process_audio", "succeeded") in jobs  # a clear outcome, not a retry loop
    assert studio.stores.storage.list_objects_v2(Bucket="audio-streams").get("KeyCount") == 0


def test_when_our_side_keeps_failing_the_uploader_is_told_to_try_later(
    studio: Studio, environ: Callable[..., None]
) -> None:
    environ(WHATSSOUND_MEDIA_MAX_ATTEMPTS="1")
    with as_user(studio.conn, studio.dj) as conn:  # the row without the bytes: Storage lost them
        object_id = conn.execute(
            "insert into storage.objects (bucket_id, name, owner_id, version) values ('audio', %s, %s, 'v1')"
            " returning id::text",
            (f"{studio.dj.id}/lost.mp3", str(studio.dj.id)),
        ).fetchone()[0]  # type: ignore[index]
    studio.work()
    asset = studio.asset(object_id)
    assert (asset["status"], asset["failure_code"]) == ("failed", "unavailable")
    failures = studio.conn.execute(
        "select f.error from private.job_failures as f join procrastinate.procrastinate_jobs as j on j.id = f.job_id"
        " where j.task_name = 'media:process_audio'"
    ).fetchall()
    assert len(failures) == 1
    assert "NoSuchKey" in failures[0][0]


def test_an_overwrite_is_processed_again_and_only_its_result_counts(studio: Studio) -> None:
    object_id = studio.upload(encode(sine(5, 0.1)))
    studio.stores.storage.put_object(
        Bucket="audio", Key=f"{studio.dj.id}/friday.mp3", Body=encode(sine(7, 0.05))
    )
    with as_user(studio.conn, studio.dj) as conn:  # Storage's upsert: the same row, a new version
        conn.execute("update storage.objects set version = 'v2' where id = %s", (object_id,))
    studio.work()
    asset = studio.asset(object_id)
    assert (asset["status"], asset["object_version"]) == ("ready", "v2")
    assert float(asset["duration_s"]) == pytest.approx(7, abs=0.1)
    assert float(asset["loudness_lufs"]) == pytest.approx(-26.0, abs=0.1)
    assert [e for e, _ in studio.events()].count("media.ready") == 1


def test_who_sees_an_asset(studio: Studio) -> None:
    api = Api(studio.conn)
    session = make_session(api, studio.dj)
    listener, stranger = create_user(studio.conn), create_user(studio.conn)
    api(listener, "join_session", p_session_id=session["id"])
    ready = studio.upload(encode(sine(3, 0.1)), "ready.wav")
    broken = studio.upload(b"not audio" * 100, "broken.wav")
    studio.work()

    def visible(who: AuthUser) -> set[str]:
        with as_user(studio.conn, who) as conn:
            return {r[0] for r in conn.execute("select object_id::text from public.audio_assets").fetchall()}

    assert visible(studio.dj) == {ready, broken}  # the uploader sees failures too
    assert visible(listener) == {ready}  # the live room sees playable sets
    assert visible(stranger) == set()
    with as_user(studio.conn, studio.dj) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("update public.audio_assets set status = 'ready' where object_id = %s", (broken,))
