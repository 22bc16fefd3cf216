"""The fault experiments' stack (docs/faults.md): a database on a PostgreSQL cluster the
experiment may stop, and the service as a real process (``whatssound serve``: HTTP, periodic
work and the in-process job worker) that it may SIGKILL and start again on the same port.

Shared by the bounded tests (tests/faults/) and the full-size benchmark (bench/faults.py).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx2

from tests.conftest import FreshDb
from whatssound_svc.local.cluster import LocalCluster
from whatssound_svc.local.processes import free_port

STRIPE_SECRET = "whsec_faults_test_secret"
REVENUECAT_AUTHORIZATION = "Bearer rc-faults-token"
#: The environment's own settings never reach the service under test.
_DROPPED = ("DATABASE_URL",)


@dataclass
class Stack:
    """The service process on ``db``, and the cluster under it."""

    db: FreshDb
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def cluster(self) -> LocalCluster:
        assert self.db.server.cluster is not None, "a fault experiment needs a cluster it may stop"
        return self.db.server.cluster

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 120) -> None:
        """Start the service and wait until /readyz answers 200."""
        env = {k: v for k, v in os.environ.items() if k not in _DROPPED and not k.startswith("WHATSSOUND_")}
        env |= {
            "DATABASE_URL": self.db.url(), "WHATSSOUND_PORT": str(self.port),
            "WHATSSOUND_ENVIRONMENT": "test", "WHATSSOUND_LOG_LEVEL": "WARNING", "WHATSSOUND_LOG_JSON": "true",
            "WHATSSOUND_PAYMENTS_STRIPE_WEBHOOK_SECRET": STRIPE_SECRET,
            "WHATSSOUND_PAYMENTS_REVENUECAT_AUTHORIZATION": REVENUECAT_AUTHORIZATION,
            "WHATSSOUND_DB_CONNECT_TIMEOUT_S": "2",
            "WHATSSOUND_JOB_HEARTBEAT_S": "0.5", "WHATSSOUND_JOB_STALLED_AFTER_S": "2",
        } | self.env  # fmt: skip
        command = [sys.executable, "-c", "from whatssound_svc.cli import main; main()", "serve"]
        log = Path(tempfile.gettempdir()) / f"whatssound-faults-{self.port}.log"
        with log.open("ab") as out:
            self.proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        self.starts += 1
        self.wait_ready(timeout)

    def readyz(self) -> int:
        """/readyz's status, or 0 when nothing answers (in 10 s: a service busy with a backlog of
        retried deliveries answers late)."""
        try:
            return httpx2.get(f"{self.base}/readyz", timeout=10).status_code
        except httpx2.TransportError:
            return 0

    def wait_ready(self, timeout: float = 60) -> float:
        """Seconds until /readyz answers 200 (the process must stay up meanwhile)."""
        started = time.monotonic()
        while self.readyz() != 200:
            assert self.proc is not None
            assert self.proc.poll() is None, f"the service exited ({self.proc.returncode})"
            assert time.monotonic() - started < timeout, "the service did not become ready"
            time.sleep(0.1)
        return time.monotonic() - started

    def kill(self) -> None:
        """SIGKILL the service: no shutdown, requests in flight cut."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def database_down(self) -> None:
        """Stop PostgreSQL (fast shutdown: every connection cut)."""
        self.cluster.stop()

    def database_up(self) -> None:
        self.cluster.start()


@contextmanager
def running(db: FreshDb, **env: str) -> Iterator[Stack]:
    """The service on ``db`` (extra ``WHATSSOUND_*`` settings in ``env``), ready; stopped after."""
    stack = Stack(db, env)
    with db.connect() as conn:  # stored events are applied as often as the schedule allows
        conn.execute("update private.schedule set every = interval '1 second' where name = 'webhook_events'")
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()
        if not stack.cluster.is_running:
            stack.database_up()
