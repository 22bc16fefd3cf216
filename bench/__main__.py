"""`python -m bench` (`make bench`): run the benchmark suites on a fresh local cluster.

Options: --suite NAME (repeatable; default all), --seconds N per measurement, --rates R,R,...,
--quick (short runs at 1,000/s, for checking the harness). Results: docs/benchmarks.md, docs/bench/.
"""

from __future__ import annotations

import argparse
import logging
from types import ModuleType

import psycopg

from bench import (
    auth,
    big_room,
    faults,
    liveness,
    media,
    push_fanout,
    queue,
    reads,
    realtime,
    report,
    rooms,
    sms_hook,
    webhooks,
)
from bench.harness import Result, run_pgbench
from whatssound_svc.local.bootstrap import bootstrap
from whatssound_svc.local.cluster import LocalCluster

SUITES: dict[str, ModuleType] = {"rooms": rooms, "queue": queue, "realtime": realtime, "auth": auth}
#: Suites that are not pgbench runs (a simulation, an in-process HTTP hook): run(cluster) writes
#: their own section.
SELF_RUN: dict[str, ModuleType] = {
    "big-room": big_room,
    "faults": faults,
    "liveness": liveness,
    "reads": reads,
    "media": media,
    "push-fanout": push_fanout,
    "sms-hook": sms_hook,
    "webhooks": webhooks,
}
DEFAULT_RATES = [500, 750, 1000, 1500, 2000]


def run_suite(name: str, suite: ModuleType, cluster: LocalCluster, seconds: int, rates: list[int]) -> None:
    """Load, explain, measure every scenario at every rate (baseline first), and write the results."""
    suite.load(cluster.admin_url)
    plans = suite.plans(cluster.url())
    results: list[Result] = []
    own_rates: dict[str, list[int]] = getattr(suite, "RATES", {})
    every_rate = sorted(
        (
            {r for rs in own_rates.values() for r in rs}
            if getattr(suite, "ONLY_THESE_RATES", False)
            else set(rates)
        )
        | {r for rs in own_rates.values() for r in rs}
    )
    users: dict[str, str] = getattr(suite, "USERS", {})
    for rate in every_rate:
        for scenario, script in suite.SCENARIOS:
            if scenario == "baseline" or rate in own_rates.get(scenario, rates):
                user = users.get(scenario, "authenticator")
                results.append(
                    run_pgbench(cluster, "postgres", scenario, script, rate=rate, seconds=seconds, user=user)
                )
    with psycopg.connect(cluster.admin_url) as conn:
        version = str(conn.execute("show server_version").fetchone()[0])  # type: ignore[index]
    meeting = {
        scenario: [
            r.offered_rate for r in results if r.name == scenario and report.meets(r, results, suite.TARGETS)
        ]
        for scenario in suite.TARGETS
    }
    body = "\n".join(
        [
            f"## {suite.TITLE}",
            "",
            f"Measured {report.machine(version)}; {seconds} s per row. Data: {suite.DESCRIPTION}",
            "",
            "Targets: "
            + "; ".join(
                f"{n} p95 < {p95} ms" + (f" and within {ratio}x the baseline's p95" if ratio else "")
                for n, (p95, ratio) in suite.TARGETS.items()
            )
            + ".",
            "",
            report.table(results, suite.TARGETS),
            "",
            "Highest offered rate meeting its target: "
            + "; ".join(
                f"{name} {max(ok)}/s" if ok else f"{name} none measured" for name, ok in meeting.items()
            )
            + ".",
            "",
            "Plans relied on:",
            "",
            *[f"**{title}**\n\n```\n{plan}\n```\n" for title, plan in plans.items()],
        ]
    )
    report.write_section(name, body, {"results": report.raw_results(results), "plans": plans})


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--suite", action="append", choices=sorted(SUITES | SELF_RUN), help="suite to run (default: all)"
    )
    parser.add_argument("--seconds", type=int, default=20, help="duration of each measurement")
    parser.add_argument("--rates", help="comma-separated offered rates per second")
    parser.add_argument("--quick", action="store_true", help="5 s runs at 1,000/s (harness check)")
    args = parser.parse_args()
    rates = [1000] if args.quick else [int(r) for r in args.rates.split(",")] if args.rates else DEFAULT_RATES
    seconds = min(args.seconds, 5) if args.quick else args.seconds
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    for name in args.suite or sorted(SUITES | SELF_RUN):
        cluster = LocalCluster.ephemeral("bench")
        try:
            cluster.start()
            bootstrap(cluster.url(), cluster.admin_url, seed=False, report=lambda _m: None)
            logging.info("suite %s", name)
            if name in SELF_RUN:
                SELF_RUN[name].run(cluster)
            else:
                run_suite(name, SUITES[name], cluster, seconds, rates)
        finally:
            cluster.destroy()


if __name__ == "__main__":
    main()
