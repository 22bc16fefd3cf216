"""The local cluster: data survives restarts, and what a killed run leaves behind is cleaned up."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator

import psycopg
import pytest

from whatssound_svc import paths
from whatssound_svc.local.cluster import ClusterInUse, LocalCluster
from whatssound_svc.local.pginstall import ClusterError
from whatssound_svc.local.processes import free_port, process_alive
from whatssound_svc.settings import LocalPgSettings

pytestmark = pytest.mark.slow


@pytest.fixture
def cluster() -> Iterator[LocalCluster]:
    root = paths.LOCAL_DIR / "tmp" / f"lifecycle-{uuid.uuid4().hex[:8]}"
    made = LocalCluster.for_dev(LocalPgSettings(root=root, port=free_port()))
    try:
        yield made
    finally:
        made.destroy()
        shutil.rmtree(root, ignore_errors=True)


def _dead_pid() -> int:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return int(proc.stdout)


def test_data_survives_a_restart(cluster: LocalCluster) -> None:
    cluster.start()
    with psycopg.connect(cluster.admin_url, autocommit=True) as conn:
        conn.execute("create table kept (x int)")
        conn.execute("insert into kept values (42)")
    cluster.stop()
    assert not cluster.is_running
    cluster.start()
    with psycopg.connect(cluster.admin_url) as conn:
        assert conn.execute("select x from kept").fetchone() == (42,)


def test_server_settings_are_what_supabase_relies_on(cluster: LocalCluster) -> None:
    cluster.start()
    with psycopg.connect(cluster.admin_url) as conn:
        row = conn.execute(
            "select current_setting('wal_level'), current_setting('shared_preload_libraries'),"
            " current_setting('listen_addresses'), current_setting('TimeZone')"
        ).fetchone()
    assert row == ("logical", "pg_stat_statements", "127.0.0.1", "UTC")


def test_a_server_left_by_a_killed_supervisor_is_stopped_and_restarted(
    cluster: LocalCluster,
) -> None:
    cluster.start(supervise=True)
    orphan = cluster.postmaster_pid()
    assert orphan is not None
    cluster.supervisor_file.write_text(str(_dead_pid()))  # the supervisor was SIGKILLed
    cluster.start(supervise=True)
    assert not process_alive(orphan)
    assert cluster.postmaster_pid() not in (None, orphan)
    assert cluster.supervisor_file.read_text() == str(os.getpid())


def test_a_live_supervisor_is_not_disturbed(cluster: LocalCluster) -> None:
    cluster.start()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        cluster.supervisor_file.write_text(str(sleeper.pid))
        with pytest.raises(ClusterInUse, match=f"process {sleeper.pid}"):
            cluster.start(supervise=True)
        assert cluster.is_running
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_refused_second_supervisor_leaves_the_first_ones_server_running(cluster: LocalCluster) -> None:
    # What a second `make dev` does: start (refused), then release in its `finally`.
    cluster.start()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        cluster.supervisor_file.write_text(str(sleeper.pid))
        second = LocalCluster.for_dev(LocalPgSettings(root=cluster.root, port=cluster.port))
        with pytest.raises(ClusterInUse):
            second.start(supervise=True)
        second.release()
        assert cluster.is_running
        with psycopg.connect(cluster.admin_url, connect_timeout=5) as conn:
            assert conn.execute("select 1").fetchone() == (1,)
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_stale_pid_file_from_a_dead_server_is_removed(cluster: LocalCluster) -> None:
    cluster.start()
    cluster.stop()
    (cluster.data_dir / "postmaster.pid").write_text(f"{_dead_pid()}\n{cluster.data_dir}\n")
    cluster.start()
    assert cluster.is_running


def test_abandoned_ephemeral_clusters_are_swept() -> None:
    abandoned = LocalCluster.ephemeral("test")
    abandoned.start()
    pid = abandoned.postmaster_pid()
    (abandoned.root / "owner.pid").write_text(str(_dead_pid()))
    LocalCluster.sweep_abandoned()
    assert pid is not None
    assert not process_alive(pid)
    assert not abandoned.root.exists()


def test_data_from_another_major_version_is_refused_clearly(cluster: LocalCluster) -> None:
    cluster.init()
    (cluster.data_dir / "PG_VERSION").write_text("9\n")
    with pytest.raises(ClusterError, match="holds PostgreSQL 9 data but the binaries are PostgreSQL"):
        cluster.start()
