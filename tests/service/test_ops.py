"""Operators' views answer, and every alert in ops/alerts.yml has its runbook and real series."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import psycopg
import pytest
import yaml
from prometheus_client import ProcessCollector
from typer.testing import CliRunner

from whatssound_svc import alerts, metrics, paths
from whatssound_svc.cli import app as cli
from whatssound_svc.settings import DEFAULT_RUNBOOK_BASE_URL, Settings

ALERTS = yaml.safe_load(alerts.ALERTS_FILE.read_text())["groups"][0]["rules"]
RUNBOOK = (paths.REPO_ROOT / "docs" / "runbook.md").read_text()


def anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives a page's headings ("### WhatsSoundJobBacklog": whatssoundjobbacklog)."""
    headings = re.findall(r"^#{1,6} +(.+?) *$", re.sub(r"(?ms)^```.*?^```", "", markdown), re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


def test_every_alert_has_a_runbook_section_and_uses_exposed_series() -> None:
    exposed = {name for name, *_ in metrics.DATABASE_SERIES} | {
        "whatssound_database_up", "whatssound_http_request_duration_seconds_bucket", "up",
    } | {name for _, name, _ in metrics.POOL_GAUGES} | {
        f"{name}_total" for _, name, _ in metrics.POOL_COUNTERS
    } | {
        sample.name for family in ProcessCollector(registry=None).collect() for sample in family.samples
    }  # fmt: skip
    assert "process_open_fds" in exposed, "process series are read from /proc (Linux)"
    for rule in ALERTS:
        name = rule["alert"]
        assert f"\n### {name}\n" in RUNBOOK, f"{name} has no runbook section"
        used = set(re.findall(r"\b(whatssound_[a-z_]+|process_[a-z_]+|up)\{", rule["expr"])) | set(
            re.findall(r"\b(whatssound_[a-z_]+|process_[a-z_]+)\b", rule["expr"])
        )
        assert used <= exposed, f"{name} uses series /metrics does not expose: {used - exposed}"


def test_every_runbook_url_is_absolute_and_opens_an_existing_section() -> None:
    assert str(Settings.model_fields["runbook_base_url"].default) == DEFAULT_RUNBOOK_BASE_URL
    for rule in ALERTS:
        name, url = rule["alert"], rule["annotations"]["runbook_url"]
        parts = urlsplit(url)
        assert parts.scheme == "https", f"{name}: runbook_url {url!r} is not absolute"
        assert parts.netloc, f"{name}: runbook_url {url!r} has no host"
        assert url == f"{DEFAULT_RUNBOOK_BASE_URL}runbook.md#{name.lower()}", f"{name}: {url!r}"
        page = paths.REPO_ROOT / "docs" / url.removeprefix(DEFAULT_RUNBOOK_BASE_URL).split("#")[0]
        assert parts.fragment in anchors(page.read_text()), f"{name}: no section #{parts.fragment} in {page}"


def test_the_anchor_check_reads_headings_as_github_does() -> None:
    page = "# Runbook\n\n### WhatsSoundJobBacklog\n```\n# not a heading\n```\n## The tips ledger check\n"
    assert anchors(page) == {"runbook", "whatssoundjobbacklog", "the-tips-ledger-check"}


def test_ops_alerts_prints_the_rules_under_another_docs_url() -> None:
    printed = CliRunner().invoke(cli, ["ops", "alerts", "--runbook-base", "https://wiki.example/ws/docs"])
    assert printed.exit_code == 0, printed.output
    rules = yaml.safe_load(printed.stdout)["groups"][0]["rules"]
    assert [rule["annotations"]["runbook_url"] for rule in rules] == [
        f"https://wiki.example/ws/docs/runbook.md#{rule['alert'].lower()}" for rule in ALERTS
    ], "a trailing / is added to the base"
    for rule in rules:
        rule["annotations"].pop("runbook_url")
    assert rules == [
        {**rule, "annotations": {k: v for k, v in rule["annotations"].items() if k != "runbook_url"}}
        for rule in ALERTS
    ], "nothing else changes"
    default = CliRunner().invoke(cli, ["ops", "alerts"])
    assert default.exit_code == 0
    assert default.stdout == alerts.ALERTS_FILE.read_text()


@pytest.mark.parametrize(
    "base",
    [
        "docs/",  # relative: what no pager can open
        "ftp://docs.example/docs/",  # not http(s)
        "https://docs.example/docs/?page=1",  # a query would end up before runbook.md
        "https://docs.example/docs/#top",  # a fragment would swallow runbook.md#<section>
    ],
)
def test_ops_alerts_refuses_a_base_a_pager_cannot_open(base: str) -> None:
    result = CliRunner().invoke(cli, ["ops", "alerts", "--runbook-base", base])
    assert result.exit_code == 2
    assert "runbook_base_url" in result.output


def test_the_operator_views_answer(db: psycopg.Connection) -> None:
    assert db.execute("select count(*) from private.long_transactions").fetchone() is not None
    bloat = db.execute(
        "select table_name from private.table_bloat where table_name = 'chat_messages'"
    ).fetchall()
    assert bloat == [("chat_messages",)]
    rows = db.execute("select calls, mean_ms from private.slowest_statements(5)").fetchall()
    assert len(rows) <= 5  # empty where pg_stat_statements is absent (it is present on Supabase)
    assert all(calls >= 1 and mean_ms >= 0 for calls, mean_ms in rows)
