"""`whatssound dev` (what `make dev` runs): up, ready, and gone without a trace when stopped."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from whatssound_svc import paths
from whatssound_svc.localpg import LocalCluster
from whatssound_svc.processes import free_port, process_alive, read_pid
from whatssound_svc.settings import LocalPgSettings

pytestmark = pytest.mark.slow
WHATSSOUND = str(Path(sys.executable).parent / "whatssound")


@dataclass
class DevEnv:
    root: Path
    pg_port: int
    http_port: int

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "WHATSSOUND_PG_ROOT": str(self.root),
            "WHATSSOUND_PG_PORT": str(self.pg_port),
            "WHATSSOUND_PORT": str(self.http_port),
        }

    def data_dir(self) -> Path:
        # Resolved as `whatssound dev` resolves it (as root it may be relocated outside the repo).
        settings = LocalPgSettings(root=self.root, port=self.pg_port)
        return LocalCluster.for_dev(settings).data_dir

    def postmaster(self) -> int | None:
        return read_pid(self.data_dir() / "postmaster.pid")

    def db_url(self) -> str:
        return f"postgresql://postgres:postgres@127.0.0.1:{self.pg_port}/postgres"


@pytest.fixture(scope="module")
def dev_env() -> Iterator[DevEnv]:
    root = paths.LOCAL_DIR / "tmp" / f"devtest-{uuid.uuid4().hex[:8]}"
    made = DevEnv(root=root, pg_port=free_port(), http_port=free_port())
    yield made
    pid = made.postmaster()
    if pid and process_alive(pid):
        os.kill(pid, signal.SIGQUIT)
    shutil.rmtree(made.data_dir().parent, ignore_errors=True)
    shutil.rmtree(root, ignore_errors=True)


_launched: list[subprocess.Popen[str]] = []


@pytest.fixture(autouse=True)
def _reap() -> Iterator[None]:
    """Whatever a test started is stopped and its pipe closed, even when the test failed."""
    yield
    while _launched:
        proc = _launched.pop()
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=30)


def _start(dev_env: DevEnv, argv: list[str] | None = None) -> subprocess.Popen[str]:
    return _start_with(dev_env.env, argv or [WHATSSOUND, "dev"])


def _start_with(env: dict[str, str], argv: list[str]) -> subprocess.Popen[str]:
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    _launched.append(proc)
    return proc


def _wait_ready(dev_env: DevEnv, proc: subprocess.Popen[str], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    url = f"http://127.0.0.1:{dev_env.http_port}/readyz"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"whatssound dev exited early:\n{proc.stdout.read() if proc.stdout else ''}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    proc.kill()
    pytest.fail("whatssound dev did not become ready in time")


def _wait_exit(proc: subprocess.Popen[str], timeout: float = 30) -> str:
    output, _ = proc.communicate(timeout=timeout)
    return output


def _wait_dead(pid: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process_alive(pid):
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_dev_comes_up_ready_and_stops_without_leaving_postgres(
    dev_env: DevEnv, stop_signal: signal.Signals
) -> None:
    proc = _start(dev_env)
    _wait_ready(dev_env, proc)
    postmaster = dev_env.postmaster()
    assert postmaster is not None
    assert process_alive(postmaster)
    proc.send_signal(stop_signal)
    output = _wait_exit(proc)
    assert proc.returncode == 0, output
    assert "WhatsSound local backend ready" in output
    assert "+15555550100" in output  # the demo users and their test numbers are listed
    assert _wait_dead(postmaster), "PostgreSQL was left running"


def test_a_second_run_keeps_data_and_applies_nothing_again(dev_env: DevEnv) -> None:
    proc = _start(dev_env)
    _wait_ready(dev_env, proc)
    with psycopg.connect(dev_env.db_url(), autocommit=True) as conn:
        conn.execute("create table if not exists public.kept_between_runs (n int)")
        conn.execute("insert into public.kept_between_runs values (1)")
        versions = conn.execute("select count(*) from supabase_migrations.schema_migrations").fetchone()
    proc.send_signal(signal.SIGTERM)
    _wait_exit(proc)
    proc = _start(dev_env)
    _wait_ready(dev_env, proc)
    with psycopg.connect(dev_env.db_url()) as conn:
        assert conn.execute("select count(*) from public.kept_between_runs").fetchone() == (1,)
        assert (
            conn.execute("select count(*) from supabase_migrations.schema_migrations").fetchone() == versions
        )
    proc.send_signal(signal.SIGTERM)
    output = _wait_exit(proc)
    assert "Applying migration" not in output
    assert "Database is up to date." in output


def test_dev_stops_when_its_parent_is_killed(dev_env: DevEnv) -> None:
    # Like `kill <make's pid>`: the signal does not reach the child, which must notice.
    shell = _start(dev_env, ["/bin/sh", "-c", f"{WHATSSOUND} dev; true"])
    _wait_ready(dev_env, shell)
    postmaster = dev_env.postmaster()
    assert postmaster is not None
    shell.kill()
    _wait_exit(shell)
    assert _wait_dead(postmaster, timeout=20), "orphaned dev left PostgreSQL running"


def test_a_server_left_by_kill_9_is_cleaned_up_on_the_next_start(dev_env: DevEnv) -> None:
    proc = _start(dev_env)
    _wait_ready(dev_env, proc)
    orphan = dev_env.postmaster()
    proc.kill()  # SIGKILL: no clean-up runs, PostgreSQL stays up
    _wait_exit(proc)
    assert orphan is not None
    assert process_alive(orphan)
    proc = _start(dev_env)
    _wait_ready(dev_env, proc)
    assert _wait_dead(orphan)
    fresh = dev_env.postmaster()
    assert fresh not in (None, orphan)
    proc.send_signal(signal.SIGTERM)
    output = _wait_exit(proc)
    assert "left running by a killed run" in output
    assert fresh is not None
    assert _wait_dead(fresh)


def _parent_of(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:")))


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def test_serve_keeps_running_when_its_parent_exits(tmp_path: Path) -> None:
    # Production's `serve` may be handed over by the shell or entrypoint that started it: only
    # `dev` stops with its parent. The shell prints serve's pid, waits, and is killed once serve
    # answers (after serve noted its parent), as test_dev_stops_when_its_parent_is_killed does.
    port, log = free_port(), tmp_path / "serve.log"
    env = os.environ | {"WHATSSOUND_PORT": str(port), "WHATSSOUND_PERIODIC_TASKS": "false"}
    shell = _start_with(env, ["/bin/sh", "-c", f"{WHATSSOUND} serve >{log} 2>&1 </dev/null & echo $!; wait"])
    assert shell.stdout is not None
    serve = int(shell.stdout.readline())
    try:
        deadline = time.monotonic() + 60
        while not _healthy(port):
            assert process_alive(serve), f"serve exited early:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"serve did not answer /healthz:\n{log.read_text()}"
            time.sleep(0.2)
        assert _parent_of(serve) == shell.pid
        shell.kill()
        _wait_exit(shell)
        assert _parent_of(serve) != shell.pid, "serve is orphaned"
        time.sleep(2)  # `dev` notices an exited parent within 0.5 s
        assert process_alive(serve), f"serve stopped after its parent exited:\n{log.read_text()}"
        assert _healthy(port)
        assert "parent process" not in log.read_text()
    finally:
        if process_alive(serve):
            os.kill(serve, signal.SIGTERM)
            if not _wait_dead(serve, timeout=15):
                os.kill(serve, signal.SIGKILL)
