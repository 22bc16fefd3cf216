"""A worker is killed (SIGKILL) in the middle of processing a DJ's set; another picks the job up:
the set ends ready once, with one rendition and one media.ready for the uploader."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from tests.jobs.test_worker_killed import wait_for
from tests.media.audio import encode, sine
from tests.media.studio import Studio

pytestmark = pytest.mark.slow


def start_worker(studio: Studio) -> subprocess.Popen[bytes]:
    env = os.environ | studio.stores.env() | {
        "DATABASE_URL": studio.db.url(), "WHATSSOUND_JOB_HEARTBEAT_S": "0.5", "WHATSSOUND_JOB_STALLED_AFTER_S": "2",
    }  # fmt: skip
    command = [sys.executable, "-c", "from whatssound_svc.cli import main; main()", "jobs", "worker"]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_a_set_whose_worker_dies_mid_way_completes_once_elsewhere(studio: Studio) -> None:
    object_id = studio.upload(encode(sine(240, 0.1), "libmp3lame"), "long.mp3")

    def state() -> tuple[str, str | None, int]:
        return studio.conn.execute(
            "select status::text, stage, progress from public.audio_assets where object_id = %s", (object_id,)
        ).fetchone()  # type: ignore[return-value]

    first = start_worker(studio)
    try:
        wait_for(lambda: state()[1] == "analysing" and state()[2] >= 10)
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
    assert state()[0] == "processing"

    second = start_worker(studio)
    try:
        wait_for(lambda: state()[0] == "ready", timeout=120)
    finally:
        second.terminate()
        second.wait(30)

    attempts = studio.conn.execute(
        "select attempts from public.audio_assets where object_id = %s", (object_id,)
    ).fetchone()
    assert attempts == (2,)
    assert [e for e, _ in studio.events()].count("media.ready") == 1
    streams = studio.stores.storage.list_objects_v2(Bucket="audio-streams")["Contents"]
    assert len(streams) == 1
    jobs = studio.conn.execute(
        "select status::text, attempts from procrastinate.procrastinate_jobs where task_name = 'media:process_audio'"
    ).fetchall()
    assert jobs == [("succeeded", 2)]  # the same job, run again once after stalled-job recovery
