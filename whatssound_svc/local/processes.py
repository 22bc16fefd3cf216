"""Process and port helpers for managing a PostgreSQL server we did not necessarily start."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import time
from pathlib import Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing is listening on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def process_alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, exited but not yet reaped, counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return process_state(pid) != "Z"


def is_postgres(pid: int) -> bool:
    """Whether ``pid`` is a PostgreSQL server process (on Linux; elsewhere: whether it runs)."""
    comm = Path(f"/proc/{pid}/comm")
    if not comm.exists():  # not Linux: trust the pid file
        return process_alive(pid)
    with contextlib.suppress(OSError):
        return comm.read_text().strip() in {"postgres", "postmaster"}
    return False


def read_pid(path: Path) -> int | None:
    """The pid in the first line of a pid file, if it has one."""
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def postmaster_pid(data_dir: Path) -> int | None:
    """The pid of a live postmaster running on ``data_dir``, if any."""
    pid = read_pid(data_dir / "postmaster.pid")
    if pid is not None and process_alive(pid) and is_postgres(pid):
        return pid
    return None


def wait_gone(pid: int, timeout_s: float = 5.0) -> bool:
    """Wait until the process has exited and been reaped (pg_ctl returns a moment before)."""
    deadline = time.monotonic() + timeout_s
    while process_alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def process_state(pid: int) -> str:
    """The kernel's one-letter process state (Z: zombie), or '' where /proc is unavailable."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return ""


def kill_postmaster(pid: int) -> None:
    """Stop a postmaster we cannot reach through pg_ctl: fast shutdown, then immediate."""
    for sig in (signal.SIGINT, signal.SIGQUIT, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
        if wait_gone(pid):
            return
