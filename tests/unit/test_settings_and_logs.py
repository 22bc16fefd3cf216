"""Settings are typed and refuse placeholder secrets in production; logs never leak secrets."""

from __future__ import annotations

import json
import logging
import sys

import pytest
from pydantic import SecretStr, ValidationError

from whatssound_svc.logs import JsonFormatter, configure_logging, redact, request_id_var
from whatssound_svc.settings import LocalPgSettings, Settings


def test_database_url_comes_from_database_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres:s3cret-x@db.example:5432/postgres")
    assert Settings().database_url.get_secret_value().endswith("@db.example:5432/postgres")


def test_settings_are_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHATSSOUND_PORT", "not-a-port")
    with pytest.raises(ValidationError, match="port"):
        Settings()


@pytest.mark.parametrize("password", ["postgres", "changethis", ""])
def test_production_refuses_placeholder_database_passwords(password: str) -> None:
    url = f"postgresql://postgres:{password}@db.example:5432/postgres"
    with pytest.raises(ValidationError, match=r"not fit to run: database_url \(password\)"):
        Settings(environment="production", database_url=SecretStr(url))


def test_production_accepts_real_secrets_and_development_accepts_defaults() -> None:
    Settings(environment="production", database_url=SecretStr("postgresql://postgres:Zq9-long@db/x"))
    assert Settings().environment == "development"


def test_the_runbook_base_is_an_absolute_docs_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    assert str(Settings().runbook_base_url) == "https://whatssound.app/docs/"
    monkeypatch.setenv("WHATSSOUND_RUNBOOK_BASE_URL", "https://github.com/acme/ws/blob/main/docs")
    assert str(Settings().runbook_base_url) == "https://github.com/acme/ws/blob/main/docs/", "a / is added"
    for relative_or_odd in ("docs/", "https://wiki.example/docs/#top"):
        monkeypatch.setenv("WHATSSOUND_RUNBOOK_BASE_URL", relative_or_odd)
        with pytest.raises(ValidationError, match="runbook_base_url"):
            Settings()


def test_local_pg_settings_have_a_bindir_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHATSSOUND_PG_BINDIR", "/usr/lib/postgresql/15/bin")
    assert str(LocalPgSettings().bindir) == "/usr/lib/postgresql/15/bin"


def test_redact_masks_secret_keys_and_url_passwords() -> None:
    value = {
        "stripe_secret": "sk_live_123",
        "Authorization": "Bearer abc",
        "nested": [{"token": "t"}, "postgresql://u:hunter2@h/db"],
        "phone_hash": "ok",
    }
    assert redact(value) == {
        "stripe_secret": "[redacted]",
        "Authorization": "[redacted]",
        "nested": [{"token": "[redacted]"}, "postgresql://u:***@h/db"],
        "phone_hash": "ok",
    }


def test_json_lines_carry_extras_and_the_request_id_but_no_secrets() -> None:
    record = logging.makeLogRecord(
        {"name": "x", "levelname": "WARNING", "msg": "connect %s", "args": ("postgresql://u:pw@h/d",),
         "api_key": "k", "event_type": "charge.succeeded"}
    )  # fmt: skip
    token = request_id_var.set("r-1")
    try:
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert line["msg"] == "connect postgresql://u:***@h/d"
    assert line["api_key"] == "[redacted]"
    assert line["event_type"] == "charge.succeeded"
    assert line["request_id"] == "r-1"
    assert line["level"] == "warning"


def test_uvicorns_coloured_copy_of_the_message_stays_out_of_json() -> None:
    record = logging.makeLogRecord({"name": "uvicorn.error", "levelname": "INFO", "msg": "Started",
                                    "color_message": "\x1b[32mStarted\x1b[0m"})  # fmt: skip
    assert "color_message" not in json.loads(JsonFormatter().format(record))


@pytest.mark.parametrize(("tty", "json_lines"), [(True, False), (False, True)])
def test_logs_are_readable_on_a_terminal_and_json_otherwise(
    monkeypatch: pytest.MonkeyPatch, tty: bool, json_lines: bool
) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: tty)
    configure_logging("INFO")
    try:
        [handler] = logging.getLogger().handlers
        assert isinstance(handler.formatter, JsonFormatter) is json_lines
        assert logging.getLogger("procrastinate").getEffectiveLevel() == logging.WARNING  # quiet when idle
    finally:
        configure_logging("INFO", json_output=True)
