"""Write benchmark results into docs/benchmarks.md (between per-suite markers) and docs/bench/*.json."""

from __future__ import annotations

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path

from bench.harness import Result
from whatssound_svc import paths

DOC = paths.REPO_ROOT / "docs" / "benchmarks.md"
RAW = paths.REPO_ROOT / "docs" / "bench"


def machine(pg_version: str) -> str:
    """One line describing where the numbers come from."""
    return (
        f"{datetime.now(UTC):%Y-%m-%d}, {os.cpu_count()} cores, {platform.machine()}, "
        f"PostgreSQL {pg_version}, pgbench with 10 connections (2 threads), fsync on"
    )


Targets = dict[str, tuple[float, float | None]]


def _baseline(result: Result, results: list[Result]) -> Result:
    return next(r for r in results if r.name == "baseline" and r.offered_rate == result.offered_rate)


def meets(result: Result, results: list[Result], targets: Targets) -> bool:
    """Whether a scenario's row meets its p95 bound (and ratio to the same-rate baseline, if any)."""
    bound, ratio = targets[result.name]
    base = _baseline(result, results).p95_ms
    return result.failed == 0 and result.p95_ms < bound and (ratio is None or result.p95_ms <= ratio * base)


def table(results: list[Result], targets: Targets) -> str:
    """Markdown table: each scenario next to the baseline measured at the same offered rate."""
    lines = [
        "| Offered/s | Scenario | Achieved/s | p50 ms | p95 ms | p99 ms | max ms | p95 ÷ baseline p95 | Meets target |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        base = _baseline(r, results).p95_ms
        ratio = r.p95_ms / base if base else float("inf")
        verdict = "—" if r.name == "baseline" else ("yes" if meets(r, results, targets) else "**no**")
        failed = f" ({r.failed} failed)" if r.failed else ""
        lines.append(
            f"| {r.offered_rate} | {r.name}{failed} | {r.achieved_rate} | {r.p50_ms} | {r.p95_ms} | {r.p99_ms} "
            f"| {r.max_ms} | {ratio:.2f} | {verdict} |"
        )
    return "\n".join(lines)


def write_section(suite: str, body: str, raw: dict[str, object]) -> None:
    """Replace the suite's section of docs/benchmarks.md and store the raw figures."""
    RAW.mkdir(parents=True, exist_ok=True)
    (RAW / f"{suite}.json").write_text(json.dumps(raw, indent=2, default=str) + "\n")
    start, end = f"<!-- bench:{suite}:start -->", f"<!-- bench:{suite}:end -->"
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    block = f"{start}\n{body.strip()}\n{end}"
    if start in text:
        before, _, rest = text.partition(start)
        _, _, after = rest.partition(end)
        text = before + block + after
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    DOC.write_text(text)


def raw_results(results: list[Result]) -> list[dict[str, object]]:
    """JSON-ready results."""
    return [r.as_dict() for r in results]


__all__ = ["Path", "machine", "raw_results", "table", "write_section"]
