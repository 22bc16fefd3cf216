"""Operators' views answer, and every alert in ops/alerts.yml has its runbook and real series."""

from __future__ import annotations

import re

import psycopg
import yaml

from whatssound_svc import metrics, paths

ALERTS = yaml.safe_load((paths.REPO_ROOT / "ops" / "alerts.yml").read_text())["groups"][0]["rules"]
RUNBOOK = (paths.REPO_ROOT / "docs" / "runbook.md").read_text()


def test_every_alert_has_a_runbook_section_and_uses_exposed_series() -> None:
    exposed = {name for name, *_ in metrics.DATABASE_SERIES} | {
        "whatssound_database_up", "whatssound_http_request_duration_seconds_bucket", "up",
    }  # fmt: skip
    for rule in ALERTS:
        name = rule["alert"]
        assert f"\n### {name}\n" in RUNBOOK, f"{name} has no runbook section"
        assert rule["annotations"]["runbook_url"] == f"docs/runbook.md#{name.lower()}"
        used = set(re.findall(r"\b(whatssound_[a-z_]+|up)\{", rule["expr"])) | set(
            re.findall(r"\b(whatssound_[a-z_]+)\b", rule["expr"])
        )
        assert used <= exposed, f"{name} uses series /metrics does not expose: {used - exposed}"


def test_the_operator_views_answer(db: psycopg.Connection) -> None:
    assert db.execute("select count(*) from private.long_transactions").fetchone() is not None
    bloat = db.execute(
        "select table_name from private.table_bloat where table_name = 'chat_messages'"
    ).fetchall()
    assert bloat == [("chat_messages",)]
    rows = db.execute("select calls, mean_ms from private.slowest_statements(5)").fetchall()
    assert len(rows) <= 5  # empty where pg_stat_statements is absent (it is present on Supabase)
    assert all(calls >= 1 and mean_ms >= 0 for calls, mean_ms in rows)
