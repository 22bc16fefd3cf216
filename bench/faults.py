"""The fault experiments at full size (docs/faults.md; the bounded versions are tests/faults/ and
tests/push/test_outages_and_kills.py): a payment storm through a database restart and a killed
service; a DJ with 5,000 followers going live while Expo answers 429 and 503 and the worker is
SIGKILLed mid-send; the database down for 60 s under the running service. Each writes what was
sent, accepted, applied, doubled and lost."""

from __future__ import annotations

import logging
import signal
import time
import uuid
from collections import Counter
from datetime import UTC, datetime

from bench import report
from tests.conftest import FreshDb
from tests.faults import db_outage, payments_storm, stack
from tests.jobs.test_worker_killed import start_worker
from tests.push import fake_expo
from tests.push.conftest import Outbox
from tests.support.pgserver import PgServer, build_template
from whatssound_svc.local.cluster import LocalCluster

TITLE = "Faults: storms, kills and outages"
STORM = payments_storm.Size(tips=600, subscribers=500, renewals=3, rate=100, database_down_s=10)
OUTAGE = db_outage.Size(before=3_000, after=1_000, rate_per_second=50, database_down_s=60)
FOLLOWERS = 5_000
EXPO_FAULTS = [(429, "TOO_MANY_REQUESTS")] * 20 + [(503, "SERVICE_UNAVAILABLE")] * 10


def _fan_out(db: FreshDb) -> dict[str, object]:
    """Go live to FOLLOWERS; Expo refuses the first requests; the worker is killed at 30 %."""
    with fake_expo.running() as expo:
        outbox = Outbox(db, expo)
        try:
            dj, _ = outbox.user()
            tokens = outbox.followers(dj, FOLLOWERS)
            session = outbox.conn.execute(
                "insert into public.dj_sessions (dj_id, title, scheduled_for)"
                " values (%s, 'Fault set', now() + interval '1 day') returning id",
                (dj.id,),
            ).fetchone()[0]  # type: ignore[index]
            expo.faults.extend(EXPO_FAULTS)
            expo.latency_s = 0.05
            started = time.monotonic()
            first = start_worker(db, expo.url)
            outbox.conn.execute("update public.dj_sessions set status = 'live' where id = %s", (session,))
            while len(expo.accepted) < FOLLOWERS * 3 // 10:
                time.sleep(0.05)
            first.send_signal(signal.SIGKILL)
            first.wait()
            at_kill = len(expo.accepted)
            second = start_worker(db, expo.url)
            try:
                undecided = (
                    "select count(*) from private.push_messages where kind = 'dj_live'"
                    " and status in ('queued', 'sending')"
                )
                deadline = time.monotonic() + 600
                while outbox.conn.execute(undecided).fetchone() != (0,) and time.monotonic() < deadline:
                    # minutes pass for what the dead worker held: the sweep decides it
                    outbox.conn.execute(
                        "update private.push_messages set claimed_at = claimed_at - interval '10 minutes'"
                        " where status = 'sending' and claimed_at < now() - interval '5 seconds'"
                    )
                    outbox.conn.execute("select private.push_due_in()")
                    time.sleep(1)
            finally:
                second.terminate()
                second.wait(timeout=30)
            seconds = time.monotonic() - started
            statuses: dict[str, int] = dict(outbox.conn.execute(
                "select status::text, count(*) from private.push_messages where kind = 'dj_live' group by 1"
            ).fetchall())  # fmt: skip
            notified = outbox.conn.execute(
                "select count(*) from public.notifications where kind = 'dj_live'"
            ).fetchone()[0]  # type: ignore[index]
        finally:
            outbox.conn.close()
    live = Counter(m["to"] for m in expo.accepted if m["title"].endswith(" is live"))
    return {
        "followers": FOLLOWERS, "notified": notified, "expo_refused": len(EXPO_FAULTS) - len(expo.faults),
        "accepted_at_kill": at_kill, "delivered": sum(live.values()),
        "doubled": sum(n - 1 for n in live.values()), "lost": len(set(tokens) - set(live)),
        "statuses": statuses, "seconds": round(seconds, 1),
    }  # fmt: skip


def run(cluster: LocalCluster) -> None:
    """`make bench` entry: the three experiments, each on a database of its own."""
    logging.getLogger("httpx2").setLevel(logging.WARNING)  # a line per delivery would drown the log
    server = PgServer(admin_url=cluster.admin_url, cluster=cluster)
    template = build_template(server)

    def fresh() -> FreshDb:
        name = f"faults_{uuid.uuid4().hex[:8]}"
        server.create_database(name, template=template)
        return FreshDb(server, name)

    logging.info("faults: payment storm")
    db = fresh()
    with stack.running(db) as service:
        storm = payments_storm.run(service, db, STORM)
    logging.info("faults: push fan-out with Expo faults and a killed worker")
    fan = _fan_out(fresh())
    logging.info("faults: database down %s s", OUTAGE.database_down_s)
    db = fresh()
    with fake_expo.running() as expo, stack.running(db, WHATSSOUND_PUSH_EXPO_URL=expo.url) as service:
        outage = db_outage.run(service, db, expo, OUTAGE)
    _write(storm, fan, outage)


def _write(storm: payments_storm.Counts, fan: dict[str, object], outage: db_outage.Counts) -> None:
    refused = ", ".join(f"{n} {what}" for what, n in storm.not_accepted.most_common())
    timeline = ", ".join(f"{what} {t} s" for what, t in storm.timeline.items())
    body = "\n".join([
        f"## {TITLE}",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d} by `make bench ARGS='--suite faults'`; what each experiment does "
        "and proves: [faults.md](faults.md).",
        "",
        f"**Payment storm** ({STORM.tips:,} tips refunded in 1-3 steps, {STORM.subscribers:,} subscribers with "
        f"{STORM.renewals} renewals; {STORM.duplicates:.0%} sent twice, shuffled, {STORM.rate:.0f} first sends/s; "
        f"database stopped {STORM.database_down_s:.0f} s at a third, service SIGKILLed at two thirds):",
        "",
        "| Events | Deliveries sent | Answered 2xx | Stored | Applied | Doubled | Lost | Wrong tips | Wrong entitlements | ledger_check |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {storm.unique:,} | {storm.sent:,} | {storm.accepted:,} | {storm.stored:,} | {storm.applied:,} | "
        f"{storm.doubled} | {storm.lost} | {storm.wrong_tips} | {storm.wrong_entitlements} | "
        f"{len(storm.ledger_problems)} problems |",
        "",
        f"Answers that were not 2xx (each retried by the provider): {refused}. Timeline: {timeline}.",
        "",
        f"**Go-live fan-out** ({fan['followers']:,} followers; Expo answers the first "
        f"{EXPO_FAULTS.count(EXPO_FAULTS[0])} requests 429 and the next {EXPO_FAULTS.count(EXPO_FAULTS[-1])} 503; "
        "the worker SIGKILLed at 30 % sent, a second worker takes over):",
        "",
        "| Followers | Notified | Expo refusals | Sent at the kill | Delivered | Doubled | Lost | Outcomes | Seconds |",
        "|---:|---:|---:|---:|---:|---:|---:|---|---:|",
        f"| {fan['followers']:,} | {fan['notified']:,} | {fan['expo_refused']} | {fan['accepted_at_kill']:,} | "
        f"{fan['delivered']:,} | {fan['doubled']} | {fan['lost']} | {fan['statuses']} | {fan['seconds']} |",
        "",
        f"**Database down {OUTAGE.database_down_s:.0f} s** under the running service, its worker sending "
        f"{OUTAGE.before:,} pushes at {OUTAGE.rate_per_second}/s ({OUTAGE.after:,} more queued after):",
        "",
        "| /readyz while down | Ready after restart | Same process | Pushes | Delivered | Doubled | Lost | Outcomes |",
        "|---|---:|---|---:|---:|---:|---:|---|",
        f"| {dict(outage.readyz_while_down)} | {outage.ready_after_s} s | {outage.same_process} | "
        f"{outage.pushes:,} | {outage.delivered:,} | {outage.doubled} | {outage.lost} | {outage.statuses} |",
    ])  # fmt: skip
    raw: dict[str, object] = {"storm": storm.__dict__, "fan_out": fan, "outage": outage.__dict__}
    report.write_section("faults", body, raw)
