"""`whatssound dev` (what `make dev` runs): up, ready, and gone without a trace when stopped."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import stripe

from tests.media.audio import encode, sine
from whatssound_svc import paths
from whatssound_svc.local import devstack
from whatssound_svc.local.cluster import LocalCluster
from whatssound_svc.local.processes import free_port, process_alive, read_pid
from whatssound_svc.media import objectstore
from whatssound_svc.settings import LocalPgSettings

pytestmark = pytest.mark.slow
WHATSSOUND = str(Path(sys.executable).parent / "whatssound")


@dataclass
class DevEnv:
    root: Path
    pg_port: int
    http_port: int
    s3_port: int

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "WHATSSOUND_PG_ROOT": str(self.root),
            "WHATSSOUND_PG_PORT": str(self.pg_port),
            "WHATSSOUND_PORT": str(self.http_port),
            "WHATSSOUND_DEV_S3_PORT": str(self.s3_port),
            "WHATSSOUND_DEV_DEMO_HEARTBEAT_S": "1",
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
    made = DevEnv(root=root, pg_port=free_port(), http_port=free_port(), s3_port=free_port())
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


# The local stack end to end: the banner, webhooks, media, and the demo room ----------------------

LIVE = "d5000000-0000-4000-8000-000000000001"
NOVA = "d0000000-0000-4000-8000-000000000100"


def _lines_until(proc: subprocess.Popen[str], marker: str, timeout: float = 90) -> list[str]:
    """Read ``proc``'s output until a line holding ``marker`` (the output so far, that line last)."""
    stream = proc.stdout
    assert stream is not None
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter_until(stream, marker)), daemon=True)
    reader.start()
    reader.join(timeout)
    if reader.is_alive() or not lines or marker not in lines[-1]:
        proc.kill()
        pytest.fail(f"no {marker!r} in the output:\n{''.join(lines)}")
    return lines


def iter_until(stream: Iterable[str], marker: str) -> Iterator[str]:
    for line in stream:
        yield line
        if marker in line:
            return


def _ready_status(port: int) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def _post(port: int, path: str, body: str, headers: dict[str, str]) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", body.encode(), headers | {"content-type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (a loopback http URL)
        return int(response.status)


def _wait_for(conn: psycopg.Connection, query: str, params: tuple[object, ...], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while conn.execute(query, params).fetchone() != (True,):
        assert time.monotonic() < deadline, f"never true: {query}"
        time.sleep(0.2)


def test_the_local_stack_takes_signed_webhooks_and_uploads_and_announces_itself_once_ready(
    dev_env: DevEnv,
) -> None:
    launched = time.monotonic()
    proc = _start(dev_env)
    before = _lines_until(proc, "local backend ready in")
    observed = time.monotonic() - launched
    assert _ready_status(dev_env.http_port) == 200  # the banner comes once /readyz answers
    assert any("GET /readyz 200" in line for line in before[:-1])
    reported = float(before[-1].split("ready in ")[1].split(" s")[0])
    assert observed - 5 < reported <= observed  # measured from launch, not from bootstrap's end
    banner = "".join(_lines_until(proc, "Listener Leo"))
    url = f"http://127.0.0.1:{dev_env.http_port}"
    for listed in (f"{url}/healthz", f"{url}/readyz", f"{url}/metrics", f"{url}/webhooks/stripe",
                   f"{url}/webhooks/revenuecat", f"http://127.0.0.1:{dev_env.s3_port}"):  # fmt: skip
        assert listed in banner

    secrets = devstack.DevSecrets.load_or_create(devstack.secrets_path(LocalPgSettings(root=dev_env.root)))
    assert secrets.stripe_webhook_secret in banner  # printed, stable, and generated for this stack
    event = json.dumps({"id": f"evt_{uuid.uuid4().hex[:24]}", "object": "event", "type": "ping",
                        "created": int(time.time()), "livemode": False, "data": {"object": {}}})  # fmt: skip
    header = stripe.WebhookSignature.generate_signature_header(event, secrets.stripe_webhook_secret)
    assert _post(dev_env.http_port, "/webhooks/stripe", event, {"stripe-signature": header}) == 200
    rc_event = json.dumps({"event": {"id": uuid.uuid4().hex, "type": "TEST",
                                     "event_timestamp_ms": int(time.time() * 1000)}})  # fmt: skip
    assert (
        _post(
            dev_env.http_port,
            "/webhooks/revenuecat",
            rc_event,
            {"authorization": secrets.revenuecat_authorization},
        )
        == 200
    )

    media_env = devstack.service_env(secrets, devstack.s3_url(dev_env.s3_port))
    s3 = objectstore.client(devstack.endpoint(devstack.s3_url(dev_env.s3_port), secrets))
    data, name = encode(sine(3, 0.1)), f"{NOVA}/dev-{uuid.uuid4().hex[:6]}.wav"
    s3.put_object(Bucket="audio", Key=name, Body=data, ContentType="audio/wav")
    with psycopg.connect(dev_env.db_url(), autocommit=True) as conn:
        stored = conn.execute("select provider, event_type from private.webhook_events where event_id = %s",
                              (json.loads(event)["id"],)).fetchone()  # fmt: skip
        assert stored == ("stripe", "ping")
        with conn.transaction():  # what Storage does for the DJ's upload: the object row as them
            conn.execute("select set_config('request.jwt.claims', %s, true)",
                         (json.dumps({"sub": NOVA, "role": "authenticated"}),))  # fmt: skip
            conn.execute("set local role authenticated")
            object_id = conn.execute(
                "insert into storage.objects (bucket_id, name, owner_id, version, metadata) values ('audio', %s, %s,"
                " gen_random_uuid()::text, jsonb_build_object('size', %s::bigint, 'mimetype', 'audio/wav'))"
                " returning id", (name, NOVA, len(data)),
            ).fetchone()  # fmt: skip
        assert object_id is not None
        _wait_for(conn, "select status = 'ready' from public.audio_assets where object_id = %s", object_id)
        _wait_for(conn, "select state = 'copied' from private.media_backups where object_id = %s", object_id)
    verify = subprocess.run([WHATSSOUND, "media", "verify", "--deep", "--json", "--db-url", dev_env.db_url()],
                            env=dev_env.env | media_env, capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert json.loads(verify.stdout) == []

    proc.send_signal(signal.SIGINT)
    output = _wait_exit(proc)
    assert proc.returncode == 0, output
    assert "stopping (SIGINT)" in output


def _abandon_demo_room(conn: psycopg.Connection) -> None:
    """As if its users' apps had been silent for 10 minutes, with a 1-minute abandonment window."""
    conn.execute("update private.settings set value = '1' where key = 'session_abandoned_minutes'")
    conn.execute(
        "update public.dj_sessions set started_at = now() - interval '10 minutes' where id = %s", (LIVE,)
    )
    conn.execute("update public.session_members set last_seen_at = now() - interval '10 minutes'"
                 " where session_id = %s", (LIVE,))  # fmt: skip


def _room(conn: psycopg.Connection) -> tuple[object, ...] | None:
    return conn.execute(
        "select s.status, s.title, (select array_agg(c.body order by c.body) from public.chat_messages as c"
        " where c.session_id = s.id), (select count(*) from public.session_members as m"
        " where m.session_id = s.id and m.left_at is null) from public.dj_sessions as s where s.id = %s", (LIVE,),
    ).fetchone()  # fmt: skip


def test_the_demo_room_stays_live_while_dev_runs_and_comes_back_after_it_ended(dev_env: DevEnv) -> None:
    proc = _start(dev_env)
    _wait_ready(dev_env, proc)
    with psycopg.connect(dev_env.db_url(), autocommit=True) as conn:
        before = _room(conn)
        assert before is not None
        assert before[0] == "live"
        _abandon_demo_room(conn)
        # The dev process beats for the demo users (every second here), as their apps would.
        _wait_for(conn, "select min(last_seen_at) > now() - interval '5 seconds' from public.session_members"
                  " where session_id = %s", (LIVE,))  # fmt: skip
        assert conn.execute("select private.end_abandoned_sessions()").fetchone() == (0,)
        assert _room(conn) == before
        with conn.transaction():  # as if nobody had beaten (a run before this fix, or `serve`)
            _abandon_demo_room(conn)
            assert conn.execute("select private.end_abandoned_sessions()").fetchone() == (1,)
        ended = _room(conn)
        assert ended is not None
        assert ended[0] == "ended"
    proc.send_signal(signal.SIGTERM)
    _wait_exit(proc)
    proc = _start(dev_env)
    _wait_ready(dev_env, proc)
    with psycopg.connect(dev_env.db_url(), autocommit=True) as conn:
        assert _room(conn) == before  # live again, same id, same title, chat and people
        assert conn.execute(
            "select count(*) > 0 from public.queue_items where session_id = %s", (LIVE,)
        ).fetchone() == (True,)
    proc.send_signal(signal.SIGTERM)
    output = _wait_exit(proc)
    assert "the demo room had ended: re-opened it" in output
