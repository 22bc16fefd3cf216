"""Measure database work the way production runs it: PostgREST-shaped transactions, offered at a
fixed rate (open loop) by pgbench over a pool of connections, next to an empty baseline.

Statements are prepared once per connection (`-M prepared`), as PostgREST prepares its queries.
Each transaction is what PostgREST sends for one request: BEGIN; one statement of
``set_config`` calls (search_path, the role's statement_timeout, role, request.jwt.claims,
request.method/path); the pre-request hook; the RPC (its result serialised to JSON); COMMIT. pgbench logs every
transaction's latency measured from its *scheduled* start, so queueing behind a slow
transaction counts, as it would for a phone waiting on the API.
"""

from __future__ import annotations

import math
import os
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from whatssound_svc.lab.simulate.caller import PRE_REQUEST
from whatssound_svc.local.cluster import LocalCluster

#: Users in benchmark data have predictable ids: this prefix + the user number, 12 digits.
UID_PREFIX = "00000000-0000-4000-8000-"


def uid_sql(var: str) -> str:
    """SQL for the uuid of benchmark user number ``:var`` (a pgbench variable)."""
    return f"('{UID_PREFIX}' || lpad((:{var})::text, 12, '0'))"


def postgrest_prelude(sub_sql: str, path: str) -> str:
    """The statement PostgREST runs before every request, for an authenticated user."""
    claims = (
        f"json_build_object('sub', {sub_sql}, 'role', 'authenticated', 'aal', 'aal1', "
        "'session_id', 'bench', 'is_anonymous', false)::text"
    )
    return (
        "select set_config('search_path', '\"public\", \"extensions\"', true), "
        "set_config('statement_timeout', '8s', true), set_config('role', 'authenticated', true), "
        f"set_config('request.jwt.claims', {claims}, true), "
        f"set_config('request.method', 'POST', true), set_config('request.path', '{path}', true);"
    )


def transaction(variables: str, sub_sql: str, path: str, call: str) -> str:
    """A pgbench script for one PostgREST request."""
    return f"{variables}\nbegin;\n{postgrest_prelude(sub_sql, path)}\n{PRE_REQUEST};\n{call}\ncommit;\n"


BASELINE = transaction(r"\set u random(1, 10000)", uid_sql("u"), "/rpc/noop", "select 1;")


@dataclass(frozen=True)
class Result:
    """Latency distribution of one pgbench run."""

    name: str
    offered_rate: int
    achieved_rate: float
    transactions: int
    failed: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return asdict(self)


def _percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, max(0, math.ceil(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def run_pgbench(
    cluster: LocalCluster,
    dbname: str,
    name: str,
    script: str,
    *,
    rate: int,
    seconds: int,
    clients: int = 10,
    threads: int = 2,
    user: str = "authenticator",
    defines: dict[str, object] | None = None,
    protocol: str = "prepared",
) -> Result:
    """Offer ``script`` at ``rate`` per second for ``seconds`` from ``clients`` connections
    (``defines``: pgbench variables, ``-D name=value``)."""
    with tempfile.TemporaryDirectory(prefix="pgbench-") as work:
        (Path(work) / "script.sql").write_text(script)
        env = {**os.environ, "PGPASSWORD": "postgres", "PGAPPNAME": f"bench:{name}"}
        completed = subprocess.run(
            [
                cluster.binaries.tool("pgbench"), "-h", "127.0.0.1", "-p", str(cluster.port),
                "-U", user, "-n", "-M", protocol, "-c", str(clients), "-j", str(threads), "-R", str(rate),
                "-T", str(seconds), "-f", "script.sql", "-l", "--log-prefix", "tx",
                *(arg for k, v in (defines or {}).items() for arg in ("-D", f"{k}={v}")), dbname,
            ],
            cwd=work, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if completed.returncode != 0:
            raise RuntimeError(f"pgbench {name} failed:\n{completed.stdout}\n{completed.stderr}")
        latencies: list[float] = []
        failed = 0
        for log in Path(work).glob("tx*"):
            for line in log.read_text().splitlines():
                fields = line.split()
                if fields[2] == "failed":
                    failed += 1
                elif fields[2] != "skipped":
                    latencies.append(int(fields[2]) / 1000)
    latencies.sort()
    if not latencies:
        raise RuntimeError(f"pgbench {name} completed no transaction:\n{completed.stdout}")
    return Result(
        name=name,
        offered_rate=rate,
        achieved_rate=round(len(latencies) / seconds, 1),
        transactions=len(latencies),
        failed=failed,
        p50_ms=round(_percentile(latencies, 0.50), 3),
        p95_ms=round(_percentile(latencies, 0.95), 3),
        p99_ms=round(_percentile(latencies, 0.99), 3),
        max_ms=round(latencies[-1], 3),
    )
