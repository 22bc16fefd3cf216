"""`python -m bench` (`make bench`): run the benchmark suites on a fresh local cluster.

Options: --suite NAME (repeatable; default all), --seconds N per measurement, --quick (short
runs at one rate, for checking the harness). Results go to docs/benchmarks.md and docs/bench/.
"""

from __future__ import annotations

import argparse
import logging

import psycopg

from bench import report, rooms
from whatssound_svc.bootstrap import bootstrap
from whatssound_svc.localpg import LocalCluster

TARGET_P95_MS = 5.0
MAX_RATIO = 3.0


def _rooms(cluster: LocalCluster, args: argparse.Namespace) -> None:
    admin = cluster.admin_url
    rooms.load(admin)
    plans = rooms.plans(cluster.url())
    rates = [1000] if args.quick else [500, 750, 1000, 1500, 2000]
    results = rooms.run(cluster, "postgres", seconds=args.seconds, rates=rates)
    with psycopg.connect(admin) as conn:
        version = str(conn.execute("show server_version").fetchone()[0])  # type: ignore[index]
    passing = sorted(
        rate for rate in {r.offered_rate for r in results}
        if all(r.p95_ms < TARGET_P95_MS for r in results if r.offered_rate == rate and r.name != "baseline")
    )  # fmt: skip
    body = "\n".join(
        [
            "## Rooms and chat: send_message and join_session",
            "",
            f"Measured {report.machine(version)}; {args.seconds} s per row. Data: a live room with "
            f"{rooms.LISTENERS:,} present listeners, {rooms.CHAT_ROWS:,} chat rows in the table "
            f"({rooms.CHAT_ROWS // 5:,} in this room), {rooms.OTHER_SESSIONS} other sessions. Each transaction is a "
            "PostgREST request (set_config of role and claims, the RPC, JSON result); latency is open-loop "
            "(from the scheduled start). Target: p95 < 5 ms and within 3x the baseline's p95 at the same rate.",
            "",
            report.table(results, target_p95_ms=TARGET_P95_MS, max_ratio=MAX_RATIO),
            "",
            f"Highest offered rate where both RPCs met the p95 < 5 ms bound: {max(passing, default='none')}/s.",
            "",
            "Plans the room relies on (as a listener, RLS applied):",
            "",
            *[f"**{title}**\n\n```\n{plan}\n```\n" for title, plan in plans.items()],
        ]
    )
    report.write_section("rooms", body, {"results": report.raw_results(results), "plans": plans})


SUITES = {"rooms": _rooms}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--suite", action="append", choices=sorted(SUITES), help="suite to run (default: all)"
    )
    parser.add_argument("--seconds", type=int, default=20, help="duration of each measurement")
    parser.add_argument("--quick", action="store_true", help="one rate, short runs (harness check)")
    args = parser.parse_args()
    if args.quick:
        args.seconds = min(args.seconds, 5)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    for name in args.suite or sorted(SUITES):
        cluster = LocalCluster.ephemeral("bench")
        try:
            cluster.start()
            bootstrap(cluster.url(), cluster.admin_url, seed=False, report=lambda _m: None)
            logging.info("suite %s", name)
            SUITES[name](cluster, args)
        finally:
            cluster.destroy()


if __name__ == "__main__":
    main()
