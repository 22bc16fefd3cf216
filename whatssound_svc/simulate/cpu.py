"""CPU time of the machine's PostgreSQL processes (Linux ``/proc``): the simulator's measure of
database CPU, read before and after a run."""

from __future__ import annotations

import os
from pathlib import Path


def postgres_cpu_seconds() -> float | None:
    """CPU seconds used so far by this machine's PostgreSQL processes (None off Linux)."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name, rest = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
        if name.startswith("postgres"):
            # utime, stime, and the children's once reaped (the postmaster's: backends that exited)
            total += int(rest[11]) + int(rest[12]) + int(rest[13]) + int(rest[14])
    return total / ticks
