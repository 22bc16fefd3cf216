"""Where a benchmark's cdn rooms' files go: a moto S3 server in a process of its own standing in for
Supabase Storage (its S3 API for the publisher, a public bucket's URL for the apps), so the lane is
on (realtime_cdn_base_url set) for the run and off again after it.

What this cannot show is the CDN itself: in production a crowd's file requests are CDN hits
(Smart CDN, https://supabase.com/docs/guides/storage/cdn/smart-cdn) that never reach the project;
here the simulator's probe apps read the origin directly, so their latency includes the origin's
and no CDN's, and the rest of a cdn crowd offers no load at all (docs/benchmarks.md says so)."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import psycopg
from pydantic import SecretStr

from whatssound_svc.media import objectstore
from whatssound_svc.media.settings import S3Endpoint
from whatssound_svc.realtime_cdn import S3FrameStore

BUCKET = "live-frames"
SETTING = "realtime_cdn_base_url"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def served(url: str) -> Iterator[S3FrameStore]:
    """The frames' store for the database at ``url`` for the block: moto started, the bucket made
    public, the lane's URL set (an operator's override, reset on exit)."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "MOTO_CALL_RESET_API": "false"},
    )  # fmt: skip
    endpoint = S3Endpoint(url=f"http://127.0.0.1:{port}", region="us-east-1", access_key_id="bench",
                          secret_access_key=SecretStr("bench"))  # fmt: skip
    try:
        s3 = objectstore.client(endpoint)
        deadline = time.monotonic() + 30
        while True:
            try:
                s3.create_bucket(Bucket=BUCKET)
                break
            except Exception:  # the server is not up yet
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
                  "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/*"}]}  # fmt: skip
        s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("select private.set_setting(%s, to_jsonb(%s::text), 'benchmark: the cdn lane on moto')",
                         (SETTING, f"{endpoint.url}/{BUCKET}"))  # fmt: skip
        try:
            yield S3FrameStore(endpoint)
        finally:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("select private.reset_setting(%s, 'benchmark over')", (SETTING,))
    finally:
        proc.terminate()
        proc.wait(10)
