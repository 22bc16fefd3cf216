"""When a broadcast becomes available to Supabase Realtime: Realtime reads ``realtime.messages`` by
logical replication (a pgoutput slot on its publication), so a row counts as delivered to the
server only once the walsender can decode its commit, which needs the WAL flushed. A
``pg_recvlogical`` process streams a ``test_decoding`` slot (a replication connection, as
Realtime's) and a thread notes when each inserted message's (topic, seq) arrives."""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from whatssound_svc.local.cluster import LocalCluster

#: test_decoding's rendering of the payload column of an INSERT into realtime.messages.
_PAYLOAD = re.compile(r"payload\[jsonb\]:'((?:[^']|'')*)'")


class Decoded:
    """(topic, seq) -> the perf_counter() moment its insert was decoded from the WAL."""

    def __init__(self) -> None:
        self.at: dict[tuple[str, int], float] = {}
        self.lines = 0

    def feed(self, line: str, now: float) -> None:
        if not line.startswith("table realtime.messages") or ": INSERT:" not in line:
            return
        match = _PAYLOAD.search(line)
        if not match:
            return
        payload = json.loads(match.group(1).replace("''", "'"))
        if isinstance(payload, dict) and "seq" in payload and "topic" in payload:
            self.at.setdefault((payload["topic"], int(payload["seq"])), now)
            self.lines += 1


@contextmanager
def decoding(cluster: LocalCluster) -> Iterator[Decoded]:
    """Stream the WAL for the duration of the block (slot created first, dropped after)."""
    slot = f"liveness_{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "PGPASSWORD": "postgres"}
    base = [cluster.binaries.tool("pg_recvlogical"), "-h", "127.0.0.1", "-p", str(cluster.port),
            "-U", "supabase_admin", "-d", "postgres", "--slot", slot]  # fmt: skip
    subprocess.run([*base, "--create-slot", "-P", "test_decoding"], env=env, check=True, capture_output=True)
    proc = subprocess.Popen(
        [*base, "--start", "-f", "-", "-o", "skip-empty-xacts=1", "-o", "include-xids=0", "-F", "0", "-s", "1"],
        env=env, stdout=subprocess.PIPE,
    )  # fmt: skip
    # Only the messages' inserts reach Python (every other change of the run is decoded too, and
    # reading it here would take the simulator's interpreter from it); rows land in the table's
    # daily partitions (realtime.messages_2026_12_02, or its default partition).
    only = subprocess.Popen(["grep", "--line-buffered", "^table realtime\\.messages[_a-z0-9]*: INSERT:"],
                            stdin=proc.stdout, stdout=subprocess.PIPE, text=True, bufsize=1)  # fmt: skip
    decoded = Decoded()

    def read() -> None:
        assert only.stdout is not None
        for line in only.stdout:
            decoded.feed(line, time.perf_counter())

    reader = threading.Thread(target=read, name="wal-decoding", daemon=True)
    reader.start()
    try:
        yield decoded
    finally:
        time.sleep(0.5)  # the last commits
        proc.terminate()
        proc.wait(10)
        only.wait(10)
        reader.join(5)
        subprocess.run([*base, "--drop-slot"], env=env, check=False, capture_output=True)
