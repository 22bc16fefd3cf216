"""CPU time of the machine's PostgreSQL processes (Linux ``/proc``): the simulator's measure of
database CPU, read before and after a run."""

from __future__ import annotations

import os
from pathlib import Path


def _stat(pid: int) -> list[str] | None:
    try:
        stat = (Path("/proc") / str(pid) / "stat").read_text()
    except OSError:
        return None
    return stat[stat.rindex(")") + 2 :].split()


def postgres_cpu_seconds(backend_pid: int) -> float | None:
    """CPU seconds used so far by the PostgreSQL server that runs ``backend_pid`` (a connection's
    ``pg_backend_pid()``): its postmaster, every child now running, and the children it has reaped
    (backends that exited). None when that server is not on this machine (or not Linux)."""
    backend = _stat(backend_pid)
    if backend is None:
        return None
    postmaster = int(backend[1])
    ticks = os.sysconf("SC_CLK_TCK")
    main = _stat(postmaster)
    if main is None:
        return None
    total = sum(int(v) for v in main[11:15])  # utime, stime, cutime, cstime
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != postmaster:
            stat = _stat(int(entry.name))
            if stat is not None and int(stat[1]) == postmaster:
                total += int(stat[11]) + int(stat[12])
    return total / ticks
